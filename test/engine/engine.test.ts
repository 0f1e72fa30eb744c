import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { embedderOptionsFrom } from '../../src/configured-embedder.ts';
import { loadTransformersEmbedder } from '../../src/embed/transformers-embedder.ts';
import { Engine } from '../../src/engine/engine.ts';
import { isAppError } from '../../src/errors.ts';
import type { Logger } from '../../src/logger.ts';
import { makeDataDir, openEngine, tinyEngineConfig, writeDocuments } from '../support/engine-fixture.ts';
import { countingEmbedder } from '../support/fake-embedder.ts';

const CORPUS = {
  'account.md': [
    '# Account help',
    '',
    '## Password reset',
    '',
    'To reset a forgotten password, open the login page and choose "Forgot password". We email you a link that is valid for one hour.',
    '',
    '## Two-factor login',
    '',
    'Two-factor login asks for a code from your phone app every time you sign in from a new device.',
  ].join('\n'),
  'weather.txt': 'Paris weather today is sunny in the morning with rain expected in the evening across the city.\n\nThe harbour office publishes tide tables for every port on the northern coast each Monday.',
};

function captureLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (line: string) => lines.push(line);
  return { lines, debug: push, info: push, warn: push, error: push };
}

async function openTinyEngine(dataDir: string, extra: Record<string, string> = {}) {
  const config = tinyEngineConfig(dataDir, extra);
  const embedder = countingEmbedder(
    await loadTransformersEmbedder(embedderOptionsFrom(config, { allowDownload: false })),
  );
  const logger = captureLogger();
  const engine = await openEngine(config, { loadEmbedder: async () => embedder, logger });
  return { engine, embedder, logger, config };
}

describe('Engine with the tiny transformers.js model', () => {
  it('indexes the documents and answers with the passage and its source', async () => {
    const dataDir = makeDataDir(CORPUS);
    const { engine } = await openTinyEngine(dataDir);
    expect(engine.ready).toBe(false);
    const report = await engine.reindex();
    expect(report).toMatchObject({ added: 2, changed: 0, removed: 0, unchanged: 0, rebuilt: true });
    expect(report.embedded).toBe(report.paragraphs);

    const answer = await engine.ask('How do I reset a forgotten password?');
    expect(answer.mode).toBe('hybrid');
    expect(answer.answered).toBe(true);
    expect(answer.passages[0]).toMatchObject({ document: 'account.md', title: 'Account help', section: 'Password reset', paragraphNumber: 1 });
    expect(answer.passages[0]!.text).toContain('Forgot password');
  });

  it('weights the dense score of Chinese questions by HYBRID_DENSE_WEIGHT_CJK', async () => {
    const dataDir = makeDataDir({ ...CORPUS, 'ferry.txt': '渡轮每小时从港口开往岛上，早上六点开始，晚上十点结束。' });
    const scoreOf = async (extra: Record<string, string>) => {
      const { engine } = await openTinyEngine(dataDir, { MIN_SCORE: '0', ...extra });
      await engine.reindex();
      const answer = await engine.ask('渡轮几点开往岛上？');
      return answer.passages.find((passage) => passage.document === 'ferry.txt')!.score;
    };
    const dense = await scoreOf({ SEARCH_MODE: 'dense' });
    expect(await scoreOf({ HYBRID_DENSE_WEIGHT_CJK: '1' })).toBeCloseTo(dense, 3);
    expect(await scoreOf({ HYBRID_DENSE_WEIGHT_CJK: '0' })).not.toBeCloseTo(dense, 3);
  });

  it('re-embeds nothing for an unchanged corpus and only the edited paragraph after an edit', async () => {
    const dataDir = makeDataDir(CORPUS);
    const { engine, embedder } = await openTinyEngine(dataDir);
    await engine.reindex();
    const afterBuild = embedder.texts;

    const unchanged = await engine.reindex();
    expect(embedder.texts).toBe(afterBuild);
    expect(unchanged).toMatchObject({ embedded: 0, unchanged: 2, added: 0, changed: 0, removed: 0, rebuilt: false });

    writeDocuments(path.join(dataDir, 'docs'), {
      'weather.txt': CORPUS['weather.txt'].replace('sunny in the morning', 'cloudy all morning long'),
    });
    const edited = await engine.reindex();
    expect(edited).toMatchObject({ changed: 1, unchanged: 1, embedded: 1 });
    expect(embedder.texts).toBe(afterBuild + 1);
    const answer = await engine.ask('Paris weather cloudy morning');
    expect(answer.passages[0]!.text).toContain('cloudy all morning long');
  });

  it('drops a deleted document from answers', async () => {
    const dataDir = makeDataDir(CORPUS);
    const { engine } = await openTinyEngine(dataDir);
    await engine.reindex();
    expect((await engine.ask('tide tables harbour port')).passages.map((p) => p.document)).toContain('weather.txt');

    fs.rmSync(path.join(dataDir, 'docs', 'weather.txt'));
    const report = await engine.reindex();
    expect(report).toMatchObject({ removed: 1, unchanged: 1, embedded: 0 });
    const answer = await engine.ask('tide tables harbour port');
    expect(answer.passages.map((p) => p.document)).not.toContain('weather.txt');
    expect(engine.listDocuments().map((d) => d.path)).toEqual(['account.md']);
  });

  it('persists the index: a new engine on the same folder answers the same without re-embedding', async () => {
    const dataDir = makeDataDir(CORPUS);
    const first = await openTinyEngine(dataDir);
    await first.engine.reindex();
    const before = await first.engine.ask('two-factor code phone app');

    const second = await openTinyEngine(dataDir);
    expect(second.engine.ready).toBe(true);
    expect(second.engine.stats()).toMatchObject({ documents: 2, paragraphs: first.engine.stats().paragraphs });
    expect(await second.engine.ask('two-factor code phone app')).toEqual(before);
    // Answering embeds the sentences of the passages shown (to highlight them); the reindex embeds nothing.
    const embeddedByAsking = second.embedder.texts;
    await second.engine.reindex();
    expect(second.embedder.texts).toBe(embeddedByAsking);
  });

  it('rebuilds everything, and says so, when the configured model differs from the index', async () => {
    const dataDir = makeDataDir(CORPUS);
    const first = await openTinyEngine(dataDir);
    const built = await first.engine.reindex();

    // A different truncation length changes the vectors, so it counts as a different model.
    const second = await openTinyEngine(dataDir, { EMBEDDING_MAX_TOKENS: '64' });
    expect(second.engine.ready).toBe(false);
    expect(second.logger.lines.join('\n')).toMatch(/built with embedding model .* max128.*uses .*max64/);
    const rebuilt = await second.engine.reindex();
    expect(rebuilt.rebuilt).toBe(true);
    expect(second.embedder.texts).toBe(built.paragraphs);
  });

  it('answers "no confident match" rather than unrelated text', async () => {
    const dataDir = makeDataDir(CORPUS);
    const { engine } = await openTinyEngine(dataDir, { SEARCH_MODE: 'keyword' });
    await engine.reindex();
    const answer = await engine.ask('quantum chromodynamics lattice gauge');
    expect(answer).toMatchObject({ answered: false, passages: [] });
  });

  it('refuses a second reindex while one runs, and keeps answering from the previous index meanwhile', async () => {
    const dataDir = makeDataDir(CORPUS);
    const { engine } = await openTinyEngine(dataDir);
    await engine.reindex();
    writeDocuments(path.join(dataDir, 'docs'), { 'new.md': '# Boats\n\nThe ferry to the island leaves the port every hour from early morning.' });
    const running = engine.reindex();
    await expect(engine.reindex()).rejects.toSatisfy((error) => isAppError(error, 'REINDEX_RUNNING'));
    const during = await engine.ask('How do I reset a forgotten password?');
    expect(during.passages[0]!.document).toBe('account.md');
    await running;
    expect(engine.listDocuments().map((d) => d.path)).toContain('new.md');
  });
});

describe('Engine without a model', () => {
  it('falls back to keyword search, warns loudly, and says keyword in every answer', async () => {
    const dataDir = makeDataDir(CORPUS);
    const logger = captureLogger();
    const config = tinyEngineConfig(dataDir, { EMBEDDING_MODEL: 'nobody/no-such-model' });
    const engine = await openEngine(config, { logger });
    expect(engine.mode).toBe('keyword');
    const warnings = logger.lines.join('\n');
    expect(warnings).toContain('nobody/no-such-model');
    expect(warnings).toContain(path.join(config.modelsDir, 'nobody/no-such-model'));
    expect(warnings).toContain('tokenizer.json');
    expect(warnings).toMatch(/KEYWORD-ONLY MODE/);

    await engine.reindex();
    const answer = await engine.ask('reset forgotten password');
    expect(answer.mode).toBe('keyword');
    expect(answer.passages[0]!.section).toBe('Password reset');
  });
});

describe('Engine index repair', () => {
  it('rebuilds from the documents when the manifest is not JSON, leaving the documents untouched', async () => {
    const dataDir = makeDataDir(CORPUS);
    const { engine, config } = await openTinyEngine(dataDir);
    await engine.reindex();
    fs.writeFileSync(path.join(config.indexDir, 'manifest.json'), '{ not json');
    const before = fs.readFileSync(path.join(dataDir, 'docs', 'account.md'), 'utf8');

    const reopened = await openTinyEngine(dataDir);
    expect(reopened.engine.ready).toBe(false);
    expect(reopened.logger.lines.join('\n')).toMatch(/Index unusable.*manifest\.json is not valid JSON/);
    await reopened.engine.ensureIndex();
    expect((await reopened.engine.ask('reset forgotten password')).answered).toBe(true);
    expect(fs.readFileSync(path.join(dataDir, 'docs', 'account.md'), 'utf8')).toBe(before);
  });
});
