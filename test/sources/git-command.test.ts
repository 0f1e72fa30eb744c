import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { folderBytes, watchFolderSize } from '../../src/sources/git-command.ts';

describe('the clone size watchdog', () => {
  it('aborts once the files under a folder, at any depth, pass the limit', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-watch-'));
    const controller = new AbortController();
    const watchdog = watchFolderSize(folder, 10_000, controller, 5);
    fs.mkdirSync(path.join(folder, '.git', 'objects', 'pack'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'a'), Buffer.alloc(6_000));
    expect(controller.signal.aborted).toBe(false);
    const aborted = once(controller.signal, 'abort');
    fs.writeFileSync(path.join(folder, '.git', 'objects', 'pack', 'tmp_pack_1'), Buffer.alloc(6_000));
    await aborted;
    watchdog.stop();
    expect(watchdog.exceeded).toBe(true);
    expect(folderBytes(folder)).toBe(12_000);
    fs.rmSync(folder, { recursive: true, force: true });
  });
});
