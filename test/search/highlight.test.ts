import { describe, expect, it } from 'vitest';
import { Searcher } from '../../src/engine/searcher.ts';
import type { StoredParagraph } from '../../src/store/generation.ts';
import { chooseHighlight, keywordScores } from '../../src/search/highlight.ts';
import type { RankedPassage } from '../../src/search/rank-passages.ts';
import { createConceptEmbedder } from '../support/fake-embedder.ts';

const PASSAGE =
  'The provincial meeting was held on May 22. Many topics were discussed at length. ' +
  'State-owned enterprises will be reformed by merging their boards. The meeting ended at noon.';

function ranked(text: string): RankedPassage {
  const paragraph = { label: 0, scope: '', document: 'd.md', title: '', section: '', ordinal: 1, start: 0, end: text.length, text, hash: '0' } as StoredParagraph;
  return { paragraph, score: 0.5 };
}

const shown = (text: string, spans: readonly { start: number; end: number }[]) => spans.map(({ start, end }) => text.slice(start, end));

describe('highlight choice', () => {
  it('keyword mode: the sentence that shares the question\'s rarest words, as offsets into the text', async () => {
    const searcher = new Searcher(null, { mode: 'keyword', denseWeight: 0.4 });
    const [spans] = await searcher.highlight({ text: 'What reform is planned for state-owned enterprises?', vector: null }, [ranked(PASSAGE)]);
    expect(shown(PASSAGE, spans!)).toEqual(['State-owned enterprises will be reformed by merging their boards.']);
  });

  it('weights words by how few sentences hold them: "meeting" is in two, "noon" in one', () => {
    const scores = keywordScores('When did the meeting end at noon?', ['The meeting was held.', 'It ended at noon.', 'Nothing else.']);
    expect(scores[1]).toBeGreaterThan(scores[0]!);
    expect(scores[2]).toBe(0);
    for (const score of scores) expect(score).toBeLessThanOrEqual(1);
  });

  it('adds the better neighbour when it scores nearly as well, and only then', () => {
    const spans = [{ start: 0, end: 10 }, { start: 11, end: 20 }, { start: 21, end: 30 }, { start: 31, end: 40 }];
    expect(chooseHighlight(spans, [0.1, 0.5, 0.45, 0.2])).toEqual([spans[1], spans[2]]);
    expect(chooseHighlight(spans, [0.1, 0.5, 0.3, 0.2])).toEqual([spans[1]]);
    expect(chooseHighlight(spans, [0, 0, 0, 0])).toEqual([]);
  });

  it('never joins two sentences into a highlight over 400 characters', () => {
    const spans = [{ start: 0, end: 300 }, { start: 301, end: 600 }];
    expect(chooseHighlight(spans, [0.5, 0.5])).toEqual([spans[0]]);
  });

  it('hybrid mode: the sentence\'s cosine finds a synonym keywords miss, embedding only the shown passages\' sentences in one batch', async () => {
    // "automobile" and "car" share a concept: only the embedder links the question to the second sentence.
    const embedder = createConceptEmbedder({ synonyms: { automobile: 'car' }, dimension: 1024 });
    const searcher = new Searcher(embedder, { mode: 'hybrid', denseWeight: 0.4 });
    const text = 'Visitors are welcome here. The car lot is east. Sign in at the desk.';
    const question = 'Where does an automobile go?';
    const keywordOnly = await new Searcher(null, { mode: 'keyword', denseWeight: 0.4 }).highlight({ text: question, vector: null }, [ranked(text)]);
    expect(keywordOnly).toEqual([[]]);
    const [spans] = await searcher.highlight({ text: question, vector: await embedder.embedQuery(question) }, [ranked(text), ranked('One more passage. With two sentences.')]);
    expect(shown(text, spans!)).toEqual(['The car lot is east.']);
    expect(embedder.calls).toBe(1);
    expect(embedder.texts).toBe(5);
  });

  it('embeds only the 3 sentences of a passage that best match by keywords: what highlighting costs stays small', async () => {
    const embedder = createConceptEmbedder({ dimension: 1024 });
    const searcher = new Searcher(embedder, { mode: 'hybrid', denseWeight: 0.4 });
    const text = 'Visitors park in the east lot. The lot opens at eight. Parking is free. The desk is inside. Lunch is at noon. The museum closes at six.';
    const question = 'When does the parking lot open?';
    const [spans] = await searcher.highlight({ text: question, vector: await embedder.embedQuery(question) }, [ranked(text)]);
    expect(embedder.texts).toBe(3);
    expect(shown(text, spans!)).toContain('The lot opens at eight.');
  });

  it('uses keywords alone for a Chinese question when the ranking gives the cosine no weight there', async () => {
    const embedder = createConceptEmbedder();
    const searcher = new Searcher(embedder, { mode: 'hybrid', denseWeight: 0.4, denseWeightCjk: 0 });
    const text = '会议于五月举行。会议要求深化国有企业改革。会议结束。';
    const [spans] = await searcher.highlight({ text: '国有企业改革有什么计划？', vector: await embedder.embedQuery('x') }, [ranked(text)]);
    expect(shown(text, spans!)).toEqual(['会议要求深化国有企业改革。']);
    expect(embedder.texts).toBe(0);
  });
});
