import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedderOptionsFrom } from '../../../src/configured-embedder.ts';
import { loadTransformersEmbedder } from '../../../src/embed/transformers-embedder.ts';
import type { Engine } from '../../../src/engine/engine.ts';
import { isAppError } from '../../../src/errors.ts';
import { makeDataDir, openEngine, tinyEngineConfig, writeDocuments } from '../../support/engine-fixture.ts';
import { postgresUnavailable, startTestPostgres, type TestPostgres } from '../../support/postgres/test-postgres.ts';
import { waitFor } from '../../support/wait-for.ts';

const CORPUS = {
  'account.md': '# Account help\n\n## Password reset\n\nTo reset a forgotten password, open the login page and choose "Forgot password".',
  'travel/ferry.md': '# Ferry\n\nThe ferry to the island leaves the harbour every hour, from six in the morning until ten at night.',
};
const SERVER = '1001';
const SERVER_RULES = '# Rules\n\nVoice channels close at midnight; the ferry club meets on Sundays at the harbour.';
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
  it('answers by keywords from memory while it is down, says why in its health, fails the reindex cleanly, and answers densely again once it is back', async () => {
    const dataDir = makeDataDir(CORPUS);
    writeDocuments(path.join(dataDir, 'servers', SERVER, 'docs'), { 'rules.md': SERVER_RULES });
    const config = tinyEngineConfig(dataDir, { SEARCH_MODE: 'hybrid', STORE: 'postgres', DATABASE_URL: server.url, INDEX_WATCH_MS: '1000' });
    const embedder = await loadTransformersEmbedder(embedderOptionsFrom(config, { allowDownload: false }));
    const engine = await openEngine(config, { loadEmbedder: async () => embedder });
    // What keyword mode answers on the same documents: what the bot falls back to while the database is down.
    const keywordOnly = await openEngine(tinyEngineConfig(dataDir, { SEARCH_MODE: 'keyword' }));
    const asked = [
      ['How do I reset my password?', undefined],
      ['When do voice channels close?', SERVER],
    ] as const;
    const ask = (target: Engine) => Promise.all(asked.map(([question, server]) => target.ask(question, server ? { server } : {})));
    try {
      await engine.reindex();
      await keywordOnly.reindex();
      const before = await ask(engine); // the server's knowledge base is loaded by its question
      expect(before.map((answer) => [answer.mode, answer.passages[0]?.document])).toEqual([
        ['hybrid', 'account.md'],
        ['hybrid', 'rules.md'],
      ]);
      expect(engine.storeHealth()).toEqual({ healthy: true });

      await server.kill();
      const during = await ask(engine);
      expect(during).toEqual(await ask(keywordOnly));
      expect(during.map((answer) => [answer.mode, answer.passages[0]?.document])).toEqual([
        ['keyword', 'account.md'],
        ['keyword', 'rules.md'],
      ]);
      expect(engine.storeHealth()).toMatchObject({ healthy: false, reason: expect.stringMatching(/not listening for new generations|unreachable/) });

      writeDocuments(path.join(dataDir, 'docs'), LIGHTHOUSE);
      const failure = await engine.reindex().catch((error: unknown) => error);
      expect(isAppError(failure, 'STORE_UNAVAILABLE')).toBe(true);
      expect((failure as Error).message).toContain('answers continue from the index in memory');
      expect(engine.stats().generation).toBe(1);
      // An upload while the database is down is refused and not kept.
      const upload = await engine.addDocument(SERVER, 'more.md', new TextEncoder().encode('# More\n\nNo spam.')).catch((error: unknown) => error);
      expect(isAppError(upload, 'STORE_UNAVAILABLE')).toBe(true);
      expect(fs.existsSync(path.join(dataDir, 'servers', SERVER, 'docs', 'more.md'))).toBe(false);
      expect(await ask(engine)).toEqual(during);

      await server.start();
      await waitFor(async () => (await engine.ask(asked[0][0])).mode === 'hybrid', 'dense answers to come back', 60_000);
      expect(await ask(engine)).toEqual(before);
      expect(await engine.reindex()).toMatchObject({ added: 1, unchanged: 3 });
      expect((await engine.ask('When is the lighthouse lamp lit?')).passages[0]?.document).toBe('lighthouse.md');
      await waitFor(() => engine.storeHealth().healthy, 'the store to report the database back', 60_000);
    } finally {
      await engine.close();
      await keywordOnly.close();
    }
  });
});
