import { describe, expect, it } from 'vitest';
import type { StoredParagraph } from '../../src/store/generation.ts';
import { VectorIndex } from '../../src/index/vector-index.ts';
import { buildKeywordIndex } from '../../src/search/keyword-index.ts';
import { rankPassages, type SearchableIndex } from '../../src/search/rank-passages.ts';
import { SENTENCE_COVERAGE_RANK_WEIGHT } from '../../src/search/sentence-coverage.ts';
import { createConceptEmbedder } from '../support/fake-embedder.ts';

const TEXTS = [
  'Parking your automobile in the east lot is free for visitors all day.',
  'The car wash behind the office is closed for repairs this month.',
  'Bicycles can be locked to the racks beside the main entrance.',
];

async function index(scopes: string[] = ['', '', '']) {
  // "vehicle", "automobile" and "car" share one concept: dense search links them, keywords cannot.
  const embedder = createConceptEmbedder({ synonyms: { automobile: 'vehicle', car: 'vehicle', vehicle: 'vehicle' } });
  const paragraphs = TEXTS.map((text, label) => ({ label, text, scope: scopes[label]!, document: `d${label}.md`, title: '', section: '', ordinal: 1, start: 0, end: text.length, hash: String(label) }) as StoredParagraph);
  const vectors = VectorIndex.create(embedder.dimension, { m: 16, efConstruction: 100, efSearch: 50 });
  const embedded = await embedder.embedPassages(TEXTS);
  embedded.forEach((vector, label) => vectors.add(label, vector));
  const searchable: SearchableIndex = { paragraphs: new Map(paragraphs.map((p) => [p.label, p])), vectors, keywords: buildKeywordIndex(paragraphs) };
  return { searchable, embedder };
}

/** A keyword-only index of one paragraph per text, labels in order. */
function keywordSearchable(texts: readonly string[]): SearchableIndex {
  const paragraphs = texts.map((text, label): StoredParagraph => ({ label, scope: '', document: 'd.md', title: '', section: '', ordinal: label + 1, start: 0, end: text.length, text, hash: String(label) }));
  return { paragraphs: new Map(paragraphs.map((p) => [p.label, p])), vectors: null, keywords: buildKeywordIndex(paragraphs) };
}

// Without sentence coverage, so that scores are the retrievers' mix (coverage is tested below).
const options = { scopes: new Set(['']), candidates: 10, denseWeight: 0.5, coverageWeight: 0 };

describe('rankPassages', () => {
  it('dense search finds synonyms that keyword search cannot', async () => {
    const { searchable, embedder } = await index();
    expect(rankPassages(searchable, 'vehicle', null, { ...options, mode: 'keyword' })).toEqual([]);
    const dense = rankPassages(searchable, 'vehicle', await embedder.embedQuery('vehicle'), { ...options, mode: 'dense' });
    expect(dense.slice(0, 2).map((r) => r.paragraph.label).sort()).toEqual([0, 1]);
    expect(dense[1]!.score).toBeGreaterThan(dense.find((r) => r.paragraph.label === 2)?.score ?? 0);
  });

  it('hybrid mode mixes dense similarity and keyword coverage, ranking the paragraph with both first', async () => {
    const { searchable, embedder } = await index();
    const question = 'Where can I park my vehicle?';
    const vector = await embedder.embedQuery(question);
    const score = (mode: 'keyword' | 'dense' | 'hybrid', label: number) =>
      rankPassages(searchable, question, vector, { ...options, mode }).find((r) => r.paragraph.label === label)?.score ?? 0;
    const hybrid = rankPassages(searchable, question, vector, { ...options, mode: 'hybrid' });
    expect(hybrid[0]!.paragraph.label).toBe(0);
    expect(score('keyword', 0)).toBeGreaterThan(0);
    expect(score('keyword', 1)).toBe(0);
    expect(score('hybrid', 0)).toBeCloseTo(0.5 * score('dense', 0) + 0.5 * score('keyword', 0), 6);
    expect(score('hybrid', 1)).toBeCloseTo(0.5 * score('dense', 1), 6);
  });

  it('scores a paragraph found by keywords alone with its cosine, not zero', async () => {
    const { searchable, embedder } = await index();
    const question = 'vehicle vehicle vehicle entrance';
    const vector = await embedder.embedQuery(question);
    const wide = { ...options, candidates: 10 };
    const dense = rankPassages(searchable, question, vector, { ...wide, mode: 'dense' }).find((r) => r.paragraph.label === 2)!.score;
    const keyword = rankPassages(searchable, question, vector, { ...wide, mode: 'keyword' }).find((r) => r.paragraph.label === 2)!.score;
    expect(dense).toBeGreaterThan(0.05);
    // One dense candidate (a vehicle paragraph), so paragraph 2 comes from keywords only.
    const hybrid = rankPassages(searchable, question, vector, { ...options, candidates: 1, mode: 'hybrid' });
    expect(rankPassages(searchable, question, vector, { ...options, candidates: 1, mode: 'dense' })[0]!.paragraph.label).not.toBe(2);
    expect(Math.abs(hybrid.find((r) => r.paragraph.label === 2)!.score - (0.5 * dense + 0.5 * keyword))).toBeLessThan(0.01);
  });

  it('never returns a paragraph of a scope the asker cannot see', async () => {
    const { searchable, embedder } = await index(['', '111', '222']);
    const question = 'car wash bicycles racks parking';
    const ranked = rankPassages(searchable, question, await embedder.embedQuery(question), { ...options, mode: 'hybrid', scopes: new Set(['', '111']) });
    expect(ranked.map((r) => r.paragraph.scope).sort()).toEqual(['', '111']);
    // Knowing the index's scopes lets a search skip the filter only when nothing is hidden from the asker.
    const known = { ...searchable, scopes: new Set(['', '111', '222']) };
    const filtered = rankPassages(known, question, await embedder.embedQuery(question), { ...options, mode: 'hybrid', scopes: new Set(['', '111']) });
    expect(filtered.map((r) => r.paragraph.scope).sort()).toEqual(['', '111']);
    const everything = rankPassages(known, question, await embedder.embedQuery(question), { ...options, mode: 'hybrid', scopes: new Set(['', '111', '222']) });
    expect(everything.map((r) => r.paragraph.scope).sort()).toEqual(['', '111', '222']);
  });
  it('ranks first, of two passages with the same words, the one whose single sentence holds the question', () => {
    const texts = [
      'The bus leaves at ten. Tickets for the ferry are sold on board. Oslo is far away. Dogs travel from the harbour.',
      'The ferry to Oslo leaves the harbour at ten. Tickets for the bus are sold on board. Dogs travel far away.',
      'The museum opens at nine.',
    ];
    const searchable = keywordSearchable(texts);
    const rank = (coverageWeight?: number) => rankPassages(searchable, 'When does the ferry to Oslo leave the harbour?', null, { ...options, mode: 'keyword', coverageWeight });
    expect(rank(0).map((r) => r.paragraph.label)).toEqual([0, 1]); // equal bags of words: the lower label first
    const ranked = rank(undefined);
    expect(ranked.map((r) => r.paragraph.label)).toEqual([1, 0]);
    expect(ranked[0]!.coverage).toBe(1);
  });

  it("mixes sentence coverage into the score with the weight of the question's script", () => {
    // English and Chinese paragraphs whose words the questions share, in one sentence or spread over several.
    const searchable = keywordSearchable([
      'The ferry leaves at ten. The harbour opens at nine. Oslo is far.',
      '渡轮十点离开。港口九点开门。奥斯陆很远。',
      'The ferry to Oslo leaves the harbour at ten.',
    ]);
    expect(SENTENCE_COVERAGE_RANK_WEIGHT.alphabetic).not.toBe(SENTENCE_COVERAGE_RANK_WEIGHT.cjk);
    for (const [question, weight] of [
      ['When does the ferry leave the harbour?', SENTENCE_COVERAGE_RANK_WEIGHT.alphabetic],
      ['渡轮什么时候离开港口？', SENTENCE_COVERAGE_RANK_WEIGHT.cjk],
    ] as const) {
      const bare = new Map(rankPassages(searchable, question, null, { ...options, mode: 'keyword', coverageWeight: 0 }).map((r) => [r.paragraph.label, r.score]));
      const mixed = rankPassages(searchable, question, null, { ...options, mode: 'keyword', coverageWeight: undefined });
      expect(mixed.length).toBeGreaterThan(0);
      for (const passage of mixed) {
        expect(passage.coverage).toBeGreaterThan(0);
        expect(passage.score).toBeCloseTo((1 - weight) * bare.get(passage.paragraph.label)! + weight * passage.coverage!, 9);
      }
    }
  });

  it('weights dense similarity for Chinese questions by their own weight, 0 unless one is given', async () => {
    const { searchable, embedder } = await index();
    const question = '我的车 vehicle 可以停在哪里呢？';
    const vector = await embedder.embedQuery(question);
    const dense = rankPassages(searchable, question, vector, { ...options, mode: 'dense' }).find((r) => r.paragraph.label === 0)!.score;
    expect(dense).toBeGreaterThan(0);
    const hybridScore = (extra: object) => rankPassages(searchable, question, vector, { ...options, mode: 'hybrid', ...extra }).find((r) => r.paragraph.label === 0)?.score ?? 0;
    expect(hybridScore({})).toBe(0);
    expect(hybridScore({ denseWeightCjk: 0.5 })).toBeCloseTo(0.5 * dense, 6);
  });

  it('ranks by reciprocal rank with fusion rrf, keeping each passage\'s convex score', async () => {
    const { searchable, embedder } = await index();
    const question = 'Where can I park my vehicle?';
    const vector = await embedder.embedQuery(question);
    const convex = rankPassages(searchable, question, vector, { ...options, mode: 'hybrid' });
    const rrf = rankPassages(searchable, question, vector, { ...options, mode: 'hybrid', fusion: 'rrf' });
    expect(rrf[0]!.paragraph.label).toBe(0);
    expect(new Map(rrf.map((r) => [r.paragraph.label, r.score]))).toEqual(new Map(convex.map((r) => [r.paragraph.label, r.score])));
  });
});

describe('rankPassages character coverage', () => {
  const searchable = keywordSearchable(['北京大学建立于一八九八年。它位于海淀区。', '上海有很多大学和图书馆。']);

  it("gives the top passage of a Chinese question the share of its characters one sentence holds, and no other passage", () => {
    const ranked = rankPassages(searchable, '北京大学是哪一年建立的？', null, { ...options, mode: 'keyword' });
    expect(ranked[0]!.paragraph.label).toBe(0);
    expect(ranked[0]!.characterCoverage).toBeCloseTo(8 / 11);
    expect(ranked.slice(1).every((passage) => passage.characterCoverage === undefined)).toBe(true);
  });

  it('computes none for a question without CJK characters', () => {
    const ranked = rankPassages(searchable, '1898 北京', null, { ...options, mode: 'keyword' });
    expect(ranked[0]!.characterCoverage).toBeCloseTo(1);
    expect(rankPassages(searchable, 'Peking', null, { ...options, mode: 'keyword' })[0]?.characterCoverage).toBeUndefined();
  });
});
