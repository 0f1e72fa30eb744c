import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/engine.ts';
import { isAppError } from '../../../src/errors.ts';
import { acquireReindexLock } from '../../../src/store/file-store/reindex-lock.ts';
import { makeDataDir, openEngine, tinyEngineConfig } from '../../support/engine-fixture.ts';

const hasProc = fs.existsSync('/proc/self/stat');
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.stdin!.end();
      await once(child, 'exit');
    }
  }
});

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-lock-'));
}

const lockFile = (dir: string) => path.join(dir, 'reindex.lock');
const isRunning = (error: unknown) => isAppError(error, 'REINDEX_RUNNING');

/** A real other process holding the lock of `dir`, until the test ends. */
async function holdLockInChild(dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/lock-holder-child.ts', dir], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  expect(line.toString()).toBe('locked\n');
  return child;
}

/** Lets the child release its lock and waits until it has exited. */
async function releaseChild(child: ChildProcess): Promise<void> {
  child.stdin!.end();
  await once(child, 'exit');
}

const RULES = new TextEncoder().encode('# Server rules\n\nVoice channels close at midnight; the moderators reopen them at eight.');

describe('reindex lock', () => {
  it('takes over a lock naming this very process (a restarted container reuses the crashed PID)', () => {
    const dir = tempDir();
    fs.writeFileSync(lockFile(dir), String(process.pid)); // as the previous version wrote it
    acquireReindexLock(dir)();
    fs.writeFileSync(lockFile(dir), JSON.stringify({ pid: process.pid, token: 'someone-else', startTime: null, bootId: null }));
    const release = acquireReindexLock(dir);
    expect(() => acquireReindexLock(dir)).toThrow(expect.objectContaining({ code: 'REINDEX_RUNNING' }));
    release();
    expect(fs.existsSync(lockFile(dir))).toBe(false);
  });

  it.runIf(hasProc)('takes over a lock naming a live but unrelated process, whose start time differs', () => {
    const dir = tempDir();
    fs.writeFileSync(lockFile(dir), '1');
    acquireReindexLock(dir)();
    fs.writeFileSync(lockFile(dir), JSON.stringify({ pid: 1, token: 'x', startTime: '1', bootId: fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() }));
    acquireReindexLock(dir)();
  });

  it('is refused while another live process holds it, and free once that process releases it', async () => {
    const dir = tempDir();
    const child = await holdLockInChild(dir);
    expect(() => acquireReindexLock(dir)).toThrow(expect.objectContaining({ code: 'REINDEX_RUNNING' }));
    child.stdin!.end();
    await once(child, 'exit');
    acquireReindexLock(dir)();
  });

  it('is taken over when its holder died without releasing it', async () => {
    const dir = tempDir();
    const child = await holdLockInChild(dir);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(fs.existsSync(lockFile(dir))).toBe(true);
    acquireReindexLock(dir)();
  });

  it('releases only its own lock, never one that replaced it', () => {
    const dir = tempDir();
    const release = acquireReindexLock(dir);
    const other = JSON.stringify({ pid: process.pid, token: 'replaced', startTime: null, bootId: null });
    fs.writeFileSync(lockFile(dir), other);
    release();
    expect(fs.readFileSync(lockFile(dir), 'utf8')).toBe(other);
  });
});

describe('Engine and the reindex lock', () => {
  it('rejects a reindex (asynchronously) while another process holds the lock', async () => {
    const dataDir = makeDataDir({ 'a.txt': 'The ferry leaves the harbour every hour.' });
    const config = tinyEngineConfig(dataDir, { SEARCH_MODE: 'keyword' });
    const engine = await openEngine(config);
    await holdLockInChild(config.indexDir);
    let result: Promise<unknown> | undefined;
    expect(() => (result = engine.reindex())).not.toThrow();
    await expect(result).rejects.toSatisfy(isRunning);
  });

  it('an upload while another process holds the lock is not kept, and the admin is told to try again', async () => {
    const dataDir = makeDataDir({ 'a.txt': 'The ferry leaves the harbour every hour.' });
    const config = tinyEngineConfig(dataDir, { SEARCH_MODE: 'keyword' });
    const engine = await openEngine(config);
    await engine.reindex();
    const holder = await holdLockInChild(config.indexDir);
    const error = await engine.addDocument('1001', 'rules.md', RULES).catch((caught: unknown) => caught);
    expect(isRunning(error)).toBe(true);
    expect((error as Error).message).toMatch(/^"rules\.md" was not added: another reindex is running/);
    expect(fs.existsSync(path.join(dataDir, 'servers', '1001', 'docs', 'rules.md'))).toBe(false);
    expect(engine.listDocuments('1001').map((d) => d.path)).toEqual(['a.txt']);

    await releaseChild(holder);
    expect((await engine.addDocument('1001', 'rules.md', RULES)).report.added).toBe(1);
    expect(engine.listDocuments('1001').map((d) => d.path)).toEqual(['a.txt', 'rules.md']);
  });

  it('a removal while another process holds the lock deletes nothing, and a retry removes the document', async () => {
    const dataDir = makeDataDir({ 'a.txt': 'The ferry leaves the harbour every hour.' });
    const config = tinyEngineConfig(dataDir, { SEARCH_MODE: 'keyword' });
    const engine = await openEngine(config);
    await engine.reindex();
    await engine.addDocument('1001', 'rules.md', RULES);
    const holder = await holdLockInChild(config.indexDir);
    const error = await engine.removeDocument('1001', 'rules.md').catch((caught: unknown) => caught);
    expect(isRunning(error)).toBe(true);
    expect((error as Error).message).toMatch(/^"rules\.md" was not removed: another reindex is running/);
    expect(fs.existsSync(path.join(dataDir, 'servers', '1001', 'docs', 'rules.md'))).toBe(true);
    expect(engine.listDocuments('1001').map((d) => d.path)).toEqual(['a.txt', 'rules.md']);

    await releaseChild(holder);
    expect((await engine.removeDocument('1001', 'rules.md')).removed).toBe(1);
    expect(engine.listDocuments('1001').map((d) => d.path)).toEqual(['a.txt']);
    expect(fs.existsSync(path.join(dataDir, 'servers', '1001', 'docs', 'rules.md'))).toBe(false);
  });

  it('builds the missing index although the lock names this process', async () => {
    const dataDir = makeDataDir({ 'a.txt': 'The ferry leaves the harbour every hour.' });
    const config = tinyEngineConfig(dataDir, { SEARCH_MODE: 'keyword' });
    fs.mkdirSync(config.indexDir, { recursive: true });
    fs.writeFileSync(lockFile(config.indexDir), String(process.pid));
    const engine = await openEngine(config);
    await engine.ensureIndex();
    expect((await engine.ask('When does the ferry leave?')).answered).toBe(true);
    expect(fs.existsSync(lockFile(config.indexDir))).toBe(false);
  });
});
