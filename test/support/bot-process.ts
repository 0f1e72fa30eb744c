import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { waitFor } from './wait-for.ts';

/** A bot (`src/bot/main.ts`) or launcher (`src/bot/sharded-main.ts`) process started by a test. */
export interface BotProcess {
  readonly child: ChildProcess;
  /** Everything it wrote to stderr so far (its log). */
  stderr(): string;
  /** SIGTERM, then its exit code. */
  stop(): Promise<number | null>;
}

export function startBotProcess(script: 'src/bot/main.ts' | 'src/bot/sharded-main.ts', env: Record<string, string>): BotProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (chunk) => (log += chunk));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return {
    child,
    stderr: () => log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** A port free on 127.0.0.1 a moment ago (for METRICS_PORT of a process the test starts). */
export async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Waits until `GET base/healthz` answers 200 (the process is ready), failing early if the process exits. */
export async function waitUntilHealthy(bot: BotProcess, base: string, timeoutMs = 120_000): Promise<void> {
  await waitFor(
    async () => {
      if (bot.child.exitCode !== null) throw new Error(`the bot process exited (${bot.child.exitCode}):\n${bot.stderr()}`);
      return fetch(`${base}/healthz`).then((response) => response.status === 200, () => false);
    },
    'the bot to be healthy',
    timeoutMs,
    100,
  );
}

/** One sample of a Prometheus text page, 0 when absent. */
export function metricSample(metrics: string, name: string): number {
  const line = metrics.split('\n').find((each) => each.startsWith(name + ' '));
  return line ? Number(line.slice(name.length + 1)) : 0;
}

export async function scrape(base: string): Promise<string> {
  return (await fetch(`${base}/metrics`)).text();
}
