import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { writeFileAtomic } from '../../../src/store/atomic-file.ts';
import { watchGenerations } from '../../../src/store/file-store/generation-watcher.ts';
import { waitFor } from '../../support/wait-for.ts';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-watch-'));

/** Resolves at the next call of the returned callback. */
function nextCall(): { callback: () => void; called: Promise<void>; count: () => number } {
  let calls = 0;
  let resolve!: () => void;
  const called = new Promise<void>((r) => (resolve = r));
  return { callback: () => (calls++, resolve()), called, count: () => calls };
}

describe('watchGenerations', () => {
  it('notices a replaced manifest by polling alone', async () => {
    const dir = tempDir();
    writeFileAtomic(path.join(dir, 'manifest.json'), '{"generation":1}');
    const change = nextCall();
    const watcher = watchGenerations(dir, { intervalMs: 10, onChange: change.callback, useFsWatch: false });
    writeFileAtomic(path.join(dir, 'manifest.json'), '{"generation":2}');
    await change.called;
    watcher.close();
  });

  it('notices a manifest through file-system events, long before the next poll', async () => {
    const dir = tempDir();
    const change = nextCall();
    const watcher = watchGenerations(dir, { intervalMs: 3_600_000, onChange: change.callback });
    writeFileAtomic(path.join(dir, 'manifest.json'), '{"generation":1}');
    await change.called;
    watcher.close();
  });

  it('works before the index folder exists', async () => {
    const dir = path.join(tempDir(), 'index');
    const change = nextCall();
    const watcher = watchGenerations(dir, { intervalMs: 10, onChange: change.callback });
    fs.mkdirSync(dir);
    writeFileAtomic(path.join(dir, 'manifest.json'), '{"generation":1}');
    await change.called;
    watcher.close();
  });

  it('starts watching file-system events once a missing folder appears (not polling alone for ever)', async () => {
    const dir = path.join(tempDir(), 'index');
    const watch = vi.spyOn(fs, 'watch');
    try {
      const change = nextCall();
      const watcher = watchGenerations(dir, { intervalMs: 10, onChange: change.callback });
      expect(watch.mock.results.every((result) => result.type === 'throw')).toBe(true);
      fs.mkdirSync(dir);
      writeFileAtomic(path.join(dir, 'manifest.json'), '{"generation":1}');
      await change.called;
      await waitFor(() => watch.mock.results.some((result) => result.type === 'return'), 'fs.watch on the new folder');
      watcher.close();
    } finally {
      watch.mockRestore();
    }
  });

  it('calls nothing once closed', async () => {
    const dir = tempDir();
    const closed = nextCall();
    watchGenerations(dir, { intervalMs: 10, onChange: closed.callback }).close();
    const open = nextCall();
    const watcher = watchGenerations(dir, { intervalMs: 10, onChange: open.callback, useFsWatch: false });
    writeFileAtomic(path.join(dir, 'manifest.json'), '{"generation":1}');
    await open.called; // by now the closed watcher's poll would have seen the change too
    watcher.close();
    expect(closed.count()).toBe(0);
  });
});
