import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Health } from './bot-health.ts';

/** What the server answers from: this process's own metrics, or those of a machine's shards gathered. */
export interface MetricsSource {
  metrics(): Promise<{ readonly contentType: string; readonly body: string }>;
  health(): Promise<Health>;
}

export interface MetricsServer {
  /** `http://host:port`, with the port actually bound. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * `GET /healthz`: 200 `{"ready":true}` when ready, else 503 with the reason (for a load balancer or systemd's
 * watchdog script, and for Kubernetes' readiness probe). `GET /metrics`: Prometheus text format.
 */
export async function serveMetrics(source: MetricsSource, options: { port: number; host: string }): Promise<MetricsServer> {
  const server = http.createServer((request, response) => {
    const answer = async () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'text/plain', 'method not allowed\n');
      if (url.pathname === '/healthz') {
        const health = await source.health();
        return send(response, health.ready ? 200 : 503, 'application/json', JSON.stringify(health) + '\n');
      }
      if (url.pathname === '/metrics') {
        const { contentType, body } = await source.metrics();
        return send(response, 200, contentType, body);
      }
      return send(response, 404, 'text/plain', 'not found: try /healthz or /metrics\n');
    };
    answer().catch((error: unknown) => send(response, 500, 'text/plain', `metrics failed: ${error instanceof Error ? error.message : String(error)}\n`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  // Never what keeps a process alive: the bot decides when it stops.
  server.unref();
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(response: http.ServerResponse, status: number, contentType: string, body: string): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  response.end(body);
}
