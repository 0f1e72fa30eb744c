import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A real PostgreSQL with pgvector for the tests, on 127.0.0.1 and a free port, in a temporary data folder: the
 * binaries that test/support/postgres/install.sh unpacks (.ci/run runs it). The server is tuned for tests
 * (fsync off: safe when only the server process dies, as the tests kill it, not the machine): its figures say nothing of a production database.
 */
export const POSTGRES_BIN = process.env.TEST_POSTGRES_BIN ?? '/tmp/docqa-test-postgres-0.1.6/pgserver/pginstall/bin';

/** Why the postgres tests cannot run here, or null when they can. CI must have the server: there it fails. */
export function postgresUnavailable(): string | null {
  if (fs.existsSync(path.join(POSTGRES_BIN, 'postgres'))) return null;
  const reason = `PostgreSQL with pgvector is not installed in ${POSTGRES_BIN}: run bash test/support/postgres/install.sh`;
  if (process.env.CI) throw new Error(reason);
  return reason;
}

export interface TestPostgres {
  /** postgres://… of the test database, for DATABASE_URL. */
  readonly url: string;
  /** Ends the server the way a crash or `kill -9` of the machine would (no checkpoint; recovery at restart). */
  kill(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  dispose(): Promise<void>;
}

/** The server runs as `nobody` when the tests run as root: PostgreSQL refuses to run as root. */
const asUser: { uid?: number; gid?: number } = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

export async function startTestPostgres(): Promise<TestPostgres> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-pg-'));
  fs.chmodSync(folder, 0o755);
  if (asUser.uid !== undefined) fs.chownSync(folder, asUser.uid, asUser.gid!);
  const data = path.join(folder, 'data');
  const init = spawnSync(path.join(POSTGRES_BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale'], {
    ...asUser,
    encoding: 'utf8',
  });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  let server: ChildProcess | null = null;

  const start = async () => {
    const child = spawn(
      path.join(POSTGRES_BIN, 'postgres'),
      ['-D', data, '-p', String(port), '-k', folder, '-h', '127.0.0.1', '-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'],
      { ...asUser, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    server = child;
    let log = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr!.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes('database system is ready to accept connections')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`postgres exited (${code}) before it was ready: ${log}`)));
    });
    child.stderr!.resume();
  };
  const stop = async (signal: NodeJS.Signals) => {
    const child = server;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
    server = null;
  };

  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    kill: () => stop('SIGQUIT'),
    start,
    async dispose() {
      await stop('SIGINT');
      fs.rmSync(folder, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
