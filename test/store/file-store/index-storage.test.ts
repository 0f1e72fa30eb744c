import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readIndex } from '../../../src/store/file-store/index-storage.ts';

const PARAMS = { m: 16, efConstruction: 100, efSearch: 50 };

describe('readIndex while another process commits', () => {
  it('never reports a generation that was replaced and deleted under it as corrupt', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-read-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/commit-loop-child.ts', dir, '60'], { stdio: ['ignore', 'pipe', 'inherit'] });
    await once(child.stdout!, 'data');
    const exited = once(child, 'exit');
    let running = true;
    void exited.then(() => (running = false));
    const failures: string[] = [];
    let reads = 0;
    while (running) {
      const result = readIndex(dir, PARAMS);
      if (result.status === 'corrupt') failures.push(result.reason);
      reads++;
      await new Promise(setImmediate); // lets the exit event in
    }
    expect((await exited)[0]).toBe(0);
    expect(reads).toBeGreaterThan(10);
    expect(failures).toEqual([]);
  });
});
