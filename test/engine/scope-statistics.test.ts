import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import { makeDataDir, openEngine, tinyEngineConfig, writeDocuments } from '../support/engine-fixture.ts';

// Paragraphs of different lengths, so that BM25's length normalisation (and so avgdl) matters to the scores.
const SAMPLE = fs.readFileSync(path.join(import.meta.dirname, '../../index-data/docs/provincial-government-executive-meeting.txt'), 'utf8');
const QUESTIONS = ['Who presided over the executive meeting?', 'What did the meeting emphasize about deepening reform?', 'revitalization of Northeast China'];

const emojiOnly = (paragraphs: number) => Array.from({ length: paragraphs }, (_, i) => '🎉🔥👍'.repeat(1 + (i % 5))).join('\n\n');
const zeroWidthOnly = (paragraphs: number) => Array.from({ length: paragraphs }, () => '\u200B\u200C\u200D\u2060'.repeat(40)).join('\n\n');

async function keywordEngine() {
  const dataDir = makeDataDir({ 'sample.txt': SAMPLE });
  const engine = await openEngine(tinyEngineConfig(dataDir, { SEARCH_MODE: 'keyword' }));
  await engine.reindex();
  return { dataDir, engine };
}

const answers = (engine: Engine, server?: string) => Promise.all(QUESTIONS.map((question) => engine.ask(question, { server, k: 5 })));

describe('keyword statistics per knowledge base', () => {
  it('gives a server the same scores whatever another server adds, word-less paragraphs included', async () => {
    const { engine } = await keywordEngine();
    const before = await answers(engine, '2002');
    expect(before.every((answer) => answer.answered)).toBe(true);

    await engine.addDocument('1001', 'party.txt', new TextEncoder().encode(emojiOnly(400)));
    await engine.addDocument('1001', 'minutes.txt', new TextEncoder().encode(`${SAMPLE}\n\nThe executive meeting was presided over by the governor.`));
    expect(await answers(engine, '2002')).toEqual(before);
    // Asked with no server at all: the shared documents alone, also unchanged.
    expect(await answers(engine)).toEqual(await answers(engine, '3003'));
  });

  it('leaves answers unchanged by a shared document without words', async () => {
    const { dataDir, engine } = await keywordEngine();
    const before = await answers(engine, '2002');
    writeDocuments(path.join(dataDir, 'docs'), { 'blank.txt': zeroWidthOnly(500), 'emoji.md': `# 🎉\n\n${emojiOnly(300)}` });
    await engine.reindex();
    expect(await answers(engine, '2002')).toEqual(before);
  });
});
