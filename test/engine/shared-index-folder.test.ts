import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { embedderOptionsFrom } from '../../src/configured-embedder.ts';
import { loadTransformersEmbedder } from '../../src/embed/transformers-embedder.ts';
import { Engine } from '../../src/engine/engine.ts';
import { makeDataDir, openEngine, tinyEngineConfig, writeDocuments } from '../support/engine-fixture.ts';
import { waitFor } from '../support/wait-for.ts';

const CORPUS = {
  'account.md': '# Account help\n\n## Password reset\n\nTo reset a forgotten password, open the login page and choose "Forgot password".',
  'weather.txt': 'Paris weather today is sunny in the morning with rain expected in the evening across the city.',
};
const FERRY = { 'ferry.md': '# Ferry\n\nThe ferry to the island leaves the harbour every hour, from six in the morning until ten at night.' };
const FERRY_QUESTION = 'When does the ferry to the island leave the harbour?';

const opened: Engine[] = [];
afterEach(() => {
  for (const engine of opened.splice(0)) engine.close();
});

/** A hybrid engine with the tiny model, as the bot or a CLI command would open it on the same data folder. */
async function openHybrid(dataDir: string, env: Record<string, string> = {}): Promise<Engine> {
  const config = tinyEngineConfig(dataDir, env);
  const embedder = await loadTransformersEmbedder(embedderOptionsFrom(config, { allowDownload: false }));
  const engine = await openEngine(config, { loadEmbedder: async () => embedder });
  opened.push(engine);
  return engine;
}

const documentsOf = async (engine: Engine, question: string) => (await engine.ask(question, { k: 5 })).passages.map((p) => p.document);

describe('an index folder shared with another process', () => {
  it('reindexes after another process (the CLI) reindexed it, and answers from that process\'s documents', async () => {
    const dataDir = makeDataDir(CORPUS);
    const bot = await openHybrid(dataDir, { INDEX_WATCH_MS: '0' }); // only the check before a reindex
    await bot.reindex();

    writeDocuments(path.join(dataDir, 'docs'), FERRY);
    const cli = await openHybrid(dataDir, { INDEX_WATCH_MS: '0' });
    expect(await cli.reindex()).toMatchObject({ added: 1, unchanged: 2 });
    expect(await documentsOf(bot, FERRY_QUESTION)).not.toContain('ferry.md'); // not watching: not seen yet

    const report = await bot.reindex();
    // Built on the CLI's generation: nothing left to embed, nothing rebuilt.
    expect(report).toMatchObject({ added: 0, changed: 0, removed: 0, unchanged: 3, embedded: 0, rebuilt: false });
    expect((await documentsOf(bot, FERRY_QUESTION))[0]).toBe('ferry.md');
    expect(bot.stats().documents).toBe(3);
    // And it keeps working: later reindexes (here an upload) build on its own generation.
    const added = await bot.addDocument('1001', 'rules.md', new TextEncoder().encode('# Rules\n\nVoice channels close at midnight.'));
    expect(added.report).toMatchObject({ added: 1, unchanged: 3 });
  });

  it('picks up a generation committed by another process without a reindex of its own', async () => {
    const dataDir = makeDataDir(CORPUS);
    const bot = await openHybrid(dataDir, { INDEX_WATCH_MS: '50' });
    await bot.reindex();
    const generation = bot.stats().generation;

    writeDocuments(path.join(dataDir, 'docs'), FERRY);
    const cli = await openHybrid(dataDir, { INDEX_WATCH_MS: '0' });
    await cli.reindex();
    await waitFor(() => bot.stats().generation > generation, 'the bot to load the CLI\'s generation');
    expect(bot.stats()).toMatchObject({ generation: cli.stats().generation, documents: 3 });
    expect((await documentsOf(bot, FERRY_QUESTION))[0]).toBe('ferry.md');
    expect(bot.ready).toBe(true);
  });

  it('builds on a generation that appeared while it had none (the CLI built the first index)', async () => {
    const dataDir = makeDataDir(CORPUS);
    const bot = await openHybrid(dataDir, { INDEX_WATCH_MS: '0' });
    expect(bot.ready).toBe(false);
    await (await openHybrid(dataDir, { INDEX_WATCH_MS: '0' })).reindex();
    expect(await bot.ensureIndex()).toMatchObject({ embedded: 0, rebuilt: false });
    expect(fs.readdirSync(path.join(dataDir, 'index')).filter((name) => name.startsWith('gen-'))).toHaveLength(1);
  });
});
