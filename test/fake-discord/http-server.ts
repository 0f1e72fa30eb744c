import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeBackend } from './backend.ts';
import { CDN_PATH } from './cdn.ts';
import { applicationRoutes } from './rest/application-routes.ts';
import { channelRoutes } from './rest/channel-routes.ts';
import { guildRoutes } from './rest/guild-routes.ts';
import { interactionRoutes } from './rest/interaction-routes.ts';
import { RestRouter } from './rest/router.ts';
import type { RecordedRequest } from './types.ts';

/** An HTTP server listening on a random port of 127.0.0.1, and its origin (`http://127.0.0.1:PORT`). */
export async function listenOnLoopback(): Promise<{ server: http.Server; origin: string }> {
  const server = http.createServer({ keepAlive: true });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * Serves the fake on one port: `/api[/vN]/…` is the REST API, `/attachments/…` the CDN, `/gateway` the WebSocket
 * gateway; anything else is 404 Unknown route (and recorded, like every request).
 */
export function serveBackend(server: http.Server, backend: FakeBackend): void {
  // Order matters where patterns overlap: `/users/@me` comes before `/users/:userId`.
  const routes = [...applicationRoutes(backend), ...guildRoutes(backend), ...channelRoutes(backend), ...interactionRoutes(backend)];
  const router = new RestRouter(routes, backend.options.token, (request) => backend.requests.push(request));
  server.on('request', (request, response) => {
    const url = new URL(request.url ?? '/', backend.options.origin);
    const api = /^\/api(?:\/v\d+)?(\/.*)$/.exec(url.pathname);
    if (api) void router.handle(request, response, api[1]!, url.searchParams);
    else serveCdn(backend, request, response, url);
  });
  server.on('upgrade', (request, socket, head) => {
    if (new URL(request.url ?? '/', backend.options.origin).pathname === '/gateway') backend.gateway.handleUpgrade(request, socket, head);
    else socket.destroy();
  });
}

function serveCdn(backend: FakeBackend, request: http.IncomingMessage, response: http.ServerResponse, url: URL): void {
  const method = request.method ?? 'GET';
  const cdn = method === 'GET' || method === 'HEAD' ? CDN_PATH.exec(url.pathname) : null;
  const route = cdn ? `${method} /attachments/:channelId/:attachmentId/:filename` : undefined;
  const recorded: RecordedRequest = { method, path: url.pathname, query: url.searchParams, body: undefined, files: [], receivedAt: performance.now(), route };
  backend.requests.push(recorded);
  if (cdn) {
    const status = backend.cdn.serve(cdn[1]!, request, response);
    if (status !== 'reset') recorded.status = status;
    return;
  }
  recorded.status = 404;
  response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Unknown route', code: 0 }));
}
