import { describe, expect, it } from 'vitest';
import { Searcher, type SearcherSettings } from '../../src/engine/searcher.ts';
import { buildKeywordIndex } from '../../src/search/keyword-index.ts';
import { inMemoryRetrieval, type SearchableIndex } from '../../src/search/rank-passages.ts';
import type { StoredParagraph } from '../../src/store/generation.ts';

const QUESTION = 'When does the night ferry to Oslo leave the old harbour?';
// Nearly the same words in both: one sentence holds the question's, or they are scattered over four.
const ANSWERS = 'The night ferry to Oslo leaves the old harbour at ten. Tickets are sold on board. Dogs travel free.';
const SCATTERS = 'The night bus leaves at ten. Tickets for the ferry are sold on board. Oslo is far away. Dogs travel free from the old harbour.';
const OTHERS = [
  'The museum in the old town opens at nine and closes at six.',
  'Trains leave the central station every hour for the airport.',
  'Ferry timetables change in winter: the harbour office prints them.',
  'A night at the lighthouse costs less in winter.',
];
// A server's MIN_SCORE: this corpus is tiny, so margins are wide and every confidence sits above the defaults.
const MIN_SCORE = 0.4;

function index(texts: readonly string[]): SearchableIndex {
  const paragraphs = texts.map((text, label): StoredParagraph => ({
    label, scope: '', document: `d${label}.md`, title: 'Travel', section: '', ordinal: 1, start: 0, end: text.length, text, hash: String(label),
  }));
  return { paragraphs: new Map(paragraphs.map((p) => [p.label, p])), vectors: null, keywords: buildKeywordIndex(paragraphs) };
}

async function ask(settings: Partial<SearcherSettings>, passage: string) {
  const searcher = new Searcher(null, { mode: 'keyword', denseWeight: 0.4, ...settings });
  const searched = inMemoryRetrieval(index([passage, ...OTHERS]));
  const query = await searcher.query(QUESTION, searched);
  return (await searcher.search(searched, query, { k: 3, offset: 0, scopes: new Set(['']), minScore: MIN_SCORE })).selection;
}

describe('the "no confident match" decision weighs whether one sentence holds the question (keyword mode, no model)', () => {
  it('gives a passage that answers in one sentence', async () => {
    expect((await ask({}, ANSWERS)).passages.map((p) => p.paragraph.text)).toEqual([ANSWERS]);
  });

  it("withholds a passage whose sentences scatter the question's words", async () => {
    const selection = await ask({}, SCATTERS);
    expect(selection.passages).toEqual([]);
    expect(selection.closest?.paragraph.text).toBe(SCATTERS);
  });

  it('tells the two apart far better than their bags of words do', async () => {
    const gap = async (settings: Partial<SearcherSettings>) => (await ask(settings, ANSWERS)).confidence - (await ask(settings, SCATTERS)).confidence;
    expect(await gap({ coverageWeight: 0, rankCoverageWeight: 0 })).toBeLessThan(0.05);
    expect(await gap({})).toBeGreaterThan(0.15);
  });
});
