import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDataDir, openEngine, tinyEngineConfig, tinyModelEnv, writeDocuments } from '../support/engine-fixture.ts';

const BEFORE = {
  'ferry.md': '# Ferry\n\nThe ferry to the island leaves the harbour every hour, from six in the morning until ten at night.',
  'library.txt': 'The city library lends books for three weeks and renews them twice if nobody else is waiting.',
};
const AFTER = {
  'library.txt': 'The city library now lends books for four weeks and renews them once when nobody else is waiting.',
  'museum.md': '# Museum\n\nThe museum opens at nine on weekdays and is free on the first Sunday of every month.',
};

function crashReindexAt(dataDir: string, checkpoint: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'test/support/crash-child.ts', checkpoint], {
    env: { ...process.env, ...tinyModelEnv(dataDir), LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('a reindex killed with SIGKILL', () => {
  for (const checkpoint of ['embedding', 'paragraphs-written', 'vectors-written', 'before-manifest']) {
    it(`at "${checkpoint}" leaves the previous index, whole, and the next start answers correctly`, async () => {
      const dataDir = makeDataDir(BEFORE);
      const config = tinyEngineConfig(dataDir, { SEARCH_MODE: 'hybrid' });
      await (await openEngine(config)).reindex();
      const manifestBefore = fs.readFileSync(path.join(config.indexDir, 'manifest.json'), 'utf8');
      writeDocuments(path.join(dataDir, 'docs'), AFTER);

      const child = crashReindexAt(dataDir, checkpoint);
      expect(child.signal).toBe('SIGKILL');
      expect(child.stdout).not.toContain('finished');

      // The manifest still names the old generation, which passes its checksums: the old index, not a mix.
      expect(fs.readFileSync(path.join(config.indexDir, 'manifest.json'), 'utf8')).toBe(manifestBefore);
      const restarted = await openEngine(config);
      expect(restarted.ready).toBe(true);
      expect(restarted.listDocuments().map((d) => d.path)).toEqual(['ferry.md', 'library.txt']);
      expect((await restarted.ask('ferry island harbour')).passages[0]!.document).toBe('ferry.md');

      // The next reindex completes and cleans up what the killed one left behind.
      await restarted.reindex();
      expect(restarted.listDocuments().map((d) => d.path)).toEqual(['ferry.md', 'library.txt', 'museum.md']);
      expect((await restarted.ask('museum free first Sunday')).passages[0]!.document).toBe('museum.md');
      expect(fs.readdirSync(config.indexDir).filter((name) => name.startsWith('gen-'))).toHaveLength(1);
    });
  }

  it('after the manifest is committed, the next start has the new index', async () => {
    const dataDir = makeDataDir(BEFORE);
    writeDocuments(path.join(dataDir, 'docs'), AFTER);
    const child = crashReindexAt(dataDir, 'none');
    expect(child.status).toBe(0);
    const restarted = await openEngine(tinyEngineConfig(dataDir));
    expect(restarted.ready).toBe(true);
    expect(restarted.listDocuments()).toHaveLength(3);
  });
});
