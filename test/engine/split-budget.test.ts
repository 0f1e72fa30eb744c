import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors.ts';
import { makeDataDir, openEngine, tinyEngineConfig } from '../support/engine-fixture.ts';

const FERRY = '# Ferry\n\nThe ferry to the island leaves the harbour every hour, from six in the morning until ten at night.';
/** Ordinary prose, several MB of it: splitting it takes far longer than the tests' 100 ms budget, parsers fast or not. */
const LONG = Array.from({ length: 40_000 }, (_, i) => `Paragraph ${i} talks about the lighthouse keeper and the tides of the northern bay.`).join('\n\n');

describe('each document is split within a time and memory budget', () => {
  it('a document over the time budget is skipped with the reason; the others are indexed and answered', async () => {
    const dataDir = makeDataDir({ 'ferry.md': FERRY, 'long.txt': LONG });
    const engine = await openEngine(tinyEngineConfig(dataDir, { SEARCH_MODE: 'keyword', PARSE_TIME_LIMIT_MS: '100' }));
    const report = await engine.reindex();
    expect(report.skipped).toEqual([{ path: path.join(dataDir, 'docs', 'long.txt'), reason: expect.stringMatching(/^took longer than 0\.1 s to read .*; not indexed$/) }]);
    expect(report.added).toBe(1);
    expect((await engine.ask('When does the ferry leave the harbour?')).passages[0]!.document).toBe('ferry.md');
  });

  it('a document over the memory budget is skipped; an upload over budget is refused and not kept', async () => {
    const dataDir = makeDataDir({ 'ferry.md': FERRY });
    const engine = await openEngine(tinyEngineConfig(dataDir, { SEARCH_MODE: 'keyword', PARSE_MEMORY_LIMIT_MB: '64', MAX_DOCUMENT_BYTES: String(64 * 1024 * 1024) }));
    await engine.reindex();
    const huge = new TextEncoder().encode(LONG.repeat(8));
    const error = await engine.addDocument('1001', 'huge.txt', huge).catch((caught: unknown) => caught);
    expect(isAppError(error, 'DOCUMENT_REJECTED')).toBe(true);
    expect((error as Error).message).toMatch(/^"huge\.txt" was not added: needed more than 64 MiB to read/);
    expect(engine.listDocuments('1001').map((document) => document.path)).toEqual(['ferry.md']);
    expect((await engine.ask('When does the ferry leave the harbour?')).answered).toBe(true);
  });
});
