import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedderOptionsFrom } from '../../../src/configured-embedder.ts';
import { loadTransformersEmbedder } from '../../../src/embed/transformers-embedder.ts';
import { isAppError } from '../../../src/errors.ts';
import { makeDataDir, openEngine, tinyEngineConfig, writeDocuments } from '../../support/engine-fixture.ts';
import { postgresUnavailable, startTestPostgres, type TestPostgres } from '../../support/postgres/test-postgres.ts';
import { waitFor } from '../../support/wait-for.ts';

const CORPUS = {
  'account.md': '# Account help\n\n## Password reset\n\nTo reset a forgotten password, open the login page and choose "Forgot password".',
  'travel/ferry.md': '# Ferry\n\nThe ferry to the island leaves the harbour every hour, from six in the morning until ten at night.',
};
const LIGHTHOUSE = { 'lighthouse.md': '# Lighthouse\n\nThe lighthouse keeper lights the lamp at dusk every evening.' };

const skip = postgresUnavailable();
let server: TestPostgres;
beforeAll(async () => {
  if (!skip) server = await startTestPostgres();
});
afterAll(async () => {
  await server?.dispose();
});

describe.skipIf(skip)('the PostgreSQL database killed and restarted while the bot runs', { timeout: 240_000 }, () => {
  it('keeps answering from memory, says so in its health, fails the reindex cleanly, and reindexes once it is back', async () => {
    const dataDir = makeDataDir(CORPUS);
    const config = tinyEngineConfig(dataDir, { SEARCH_MODE: 'hybrid', STORE: 'postgres', DATABASE_URL: server.url, INDEX_WATCH_MS: '1000' });
    const embedder = await loadTransformersEmbedder(embedderOptionsFrom(config, { allowDownload: false }));
    const engine = await openEngine(config, { loadEmbedder: async () => embedder });
    try {
      await engine.reindex();
      const before = await engine.ask('How do I reset my password?');
      expect(before.passages[0]?.document).toBe('account.md');
      expect(engine.storeHealth()).toEqual({ healthy: true });

      await server.kill();
      await waitFor(() => !engine.storeHealth().healthy, 'the store to report the lost database', 60_000);
      expect(engine.storeHealth().reason).toMatch(/not listening for new generations|unreachable/);
      expect(await engine.ask('How do I reset my password?')).toEqual(before);

      writeDocuments(path.join(dataDir, 'docs'), LIGHTHOUSE);
      const failure = await engine.reindex().catch((error: unknown) => error);
      expect(isAppError(failure, 'STORE_UNAVAILABLE')).toBe(true);
      expect((failure as Error).message).toContain('answers continue from the index in memory');
      expect(engine.stats().generation).toBe(1);
      // An upload while the database is down is refused and not kept.
      const upload = await engine.addDocument('1001', 'rules.md', new TextEncoder().encode('# Rules\n\nNo spam.')).catch((error: unknown) => error);
      expect(isAppError(upload, 'STORE_UNAVAILABLE')).toBe(true);
      expect(fs.existsSync(path.join(dataDir, 'servers', '1001', 'docs', 'rules.md'))).toBe(false);
      expect(await engine.ask('How do I reset my password?')).toEqual(before);

      await server.start();
      expect(await engine.reindex()).toMatchObject({ added: 1, unchanged: 2 });
      expect((await engine.ask('When is the lighthouse lamp lit?')).passages[0]?.document).toBe('lighthouse.md');
      await waitFor(() => engine.storeHealth().healthy, 'the store to report the database back', 60_000);
    } finally {
      await engine.close();
    }
  });
});
