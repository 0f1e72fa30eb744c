import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors.ts';
import type { Logger } from '../../src/logger.ts';
import { makeDataDir, openEngine, tinyEngineConfig } from '../support/engine-fixture.ts';

const DOCS = {
  'ferry.md': '# Ferry\n\nThe ferry to the island leaves the harbour every hour, from six in the morning until ten at night.',
  'library.txt': 'The city library lends books for three weeks and renews them twice if nobody else is waiting.',
};

function capture(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (line: string) => lines.push(line);
  return { lines, debug: push, info: push, warn: push, error: push };
}

async function builtIndex() {
  const dataDir = makeDataDir(DOCS);
  const config = tinyEngineConfig(dataDir);
  await (await openEngine(config)).reindex();
  const manifestFile = path.join(config.indexDir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const generation = path.join(config.indexDir, `gen-${String(manifest.generation).padStart(6, '0')}`);
  return { dataDir, config, manifestFile, manifest, generation };
}

const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

const CORRUPTIONS: [string, (index: Awaited<ReturnType<typeof builtIndex>>) => void, RegExp][] = [
  ['a truncated vector index', ({ generation }) => fs.truncateSync(path.join(generation, 'vectors.hnsw'), 100), /vectors\.hnsw does not match its checksum/],
  ['random bytes in the vector index', ({ generation }) => fs.writeFileSync(path.join(generation, 'vectors.hnsw'), crypto.randomBytes(4096)), /vectors\.hnsw does not match/],
  ['random bytes in the paragraph store', ({ generation }) => fs.writeFileSync(path.join(generation, 'paragraphs.json'), crypto.randomBytes(512)), /paragraphs\.json does not match/],
  ['a manifest that is not JSON', ({ manifestFile }) => fs.writeFileSync(manifestFile, '{"formatVersion": 1, "gener'), /manifest\.json is not valid JSON/],
  ['a manifest from a future format version', ({ manifestFile, manifest }) => fs.writeFileSync(manifestFile, JSON.stringify({ ...manifest, formatVersion: 99 })), /format version 99; this version reads 1/],
  ['a missing vector file', ({ generation }) => fs.rmSync(path.join(generation, 'vectors.hnsw')), /vectors\.hnsw is missing/],
  [
    'a store whose paragraph count disagrees with the vectors (checksums consistent)',
    ({ generation, manifestFile, manifest }) => {
      const file = path.join(generation, 'paragraphs.json');
      const paragraphs = JSON.parse(fs.readFileSync(file, 'utf8'));
      fs.writeFileSync(file, JSON.stringify(paragraphs.slice(1)));
      manifest.files['paragraphs.json'] = { sha256: sha256(file), bytes: fs.statSync(file).size };
      fs.writeFileSync(manifestFile, JSON.stringify({ ...manifest, paragraphCount: paragraphs.length - 1 }));
    },
    /vector index holds \d+ vectors for \d+ paragraphs/,
  ],
];

describe('a corrupt or missing index file', () => {
  for (const [name, corrupt, message] of CORRUPTIONS) {
    it(`${name}: detected at load in one line, rebuilt from the documents, documents untouched`, async () => {
      const index = await builtIndex();
      const documentsBefore = Object.fromEntries(Object.keys(DOCS).map((doc) => [doc, fs.readFileSync(path.join(index.dataDir, 'docs', doc))]));
      corrupt(index);

      const logger = capture();
      const engine = await openEngine(index.config, { logger });
      const errors = logger.lines.filter((line) => line.includes('Index unusable'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(message);
      expect(errors[0]).not.toContain('\n');
      expect(engine.ready).toBe(false);

      const report = await engine.ensureIndex();
      expect(report?.rebuilt).toBe(true);
      expect((await engine.ask('ferry island harbour')).passages[0]!.document).toBe('ferry.md');
      for (const [doc, bytes] of Object.entries(documentsBefore)) {
        expect(fs.readFileSync(path.join(index.dataDir, 'docs', doc))).toEqual(bytes);
      }
      expect((await openEngine(index.config)).ready).toBe(true);
    });
  }
});

describe('a write that fails (disk full, read-only folder)', () => {
  // As root (tests and CI run as root) permissions are not enforced, so the file system error is injected at the
  // moment the vectors have been written; the engine sees exactly what a full or read-only disk would raise.
  it.each([
    ['disk full', 'ENOSPC', 'ENOSPC: no space left on device, write'],
    ['read-only folder', 'EROFS', 'EROFS: read-only file system, open'],
  ])('%s: reported as one clear error, and the previous index stays in use', async (_name, code, text) => {
    const { dataDir, config, manifestFile } = await builtIndex();
    const manifestBefore = fs.readFileSync(manifestFile, 'utf8');
    fs.writeFileSync(path.join(dataDir, 'docs', 'museum.md'), '# Museum\n\nThe museum opens at nine on weekdays and is free on the first Sunday of every month.');
    const engine = await openEngine(config, {
      checkpoint: (point) => {
        if (point === 'vectors-written') throw Object.assign(new Error(text), { code });
      },
    });

    const failure = await engine.reindex().catch((error: unknown) => error);
    expect(isAppError(failure, 'INDEX_WRITE_FAILED')).toBe(true);
    expect((failure as Error).message).toBe(`Could not write the index to ${config.indexDir} (${text}); the previous index stays in use.`);
    expect(fs.readFileSync(manifestFile, 'utf8')).toBe(manifestBefore);
    expect(engine.listDocuments().map((d) => d.path)).toEqual(['ferry.md', 'library.txt']);
    expect((await engine.ask('ferry island harbour')).passages[0]!.document).toBe('ferry.md');
    // The lock was released: the next reindex (disk freed) goes through.
    await expect((await openEngine(config)).reindex()).resolves.toMatchObject({ added: 1 });
  });
});
