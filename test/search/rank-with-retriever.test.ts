import { describe, expect, it } from 'vitest';
import type { StoredParagraph } from '../../src/store/generation.ts';
import type { NearestRequest, ScopedReads } from '../../src/store/index-store.ts';
import { VectorIndex } from '../../src/index/vector-index.ts';
import { StoreRetriever } from '../../src/search/dense-retriever.ts';
import { buildKeywordIndex } from '../../src/search/keyword-index.ts';
import { inMemoryRetrieval, rankPassages, rankWithRetriever, type RankOptions, type SearchableIndex } from '../../src/search/rank-passages.ts';
import { createConceptEmbedder } from '../support/fake-embedder.ts';

const TEXTS = [
  'Parking your automobile in the east lot is free for visitors all day.',
  'The car wash behind the office is closed for repairs this month.',
  'Bicycles can be locked to the racks beside the main entrance.',
  'Visitors park in the west lot after six.',
];
const SCOPES = ['', '', 'g1', 'g1'];

async function fixture() {
  const embedder = createConceptEmbedder({ synonyms: { automobile: 'vehicle', car: 'vehicle', vehicle: 'vehicle' } });
  const paragraphs = TEXTS.map((text, label) => ({ label, text, scope: SCOPES[label]!, document: `d${label}.md`, title: '', section: '', ordinal: 1, start: 0, end: text.length, hash: String(label) }) as StoredParagraph);
  const vectors = VectorIndex.create(embedder.dimension, { m: 16, efConstruction: 100, efSearch: 50 });
  const embedded = await embedder.embedPassages(TEXTS);
  embedded.forEach((vector, label) => vectors.add(label, vector));
  const searchable: SearchableIndex = { paragraphs: new Map(paragraphs.map((p) => [p.label, p])), vectors, keywords: buildKeywordIndex(paragraphs) };
  // A store that finds the nearest as the in-memory graph does (on a few rows pgvector's search is exact too, its
  // cosines equal to within float rounding) and records what it was asked.
  const requests: NearestRequest[] = [];
  let down = false;
  const store: ScopedReads = {
    latestManifest: async () => null,
    readScope: async () => ({ generation: 1, paragraphs: [] }),
    nearest: async (request) => {
      if (down) throw new Error('connect ECONNREFUSED');
      requests.push(request);
      const visible = (label: number) => request.scopes.includes(SCOPES[label]!) && (!request.allowedLabels || request.allowedLabels.includes(label));
      const nearest = vectors.search(request.vector, request.k, visible);
      const found = new Set(nearest.map((hit) => hit.label));
      return { nearest, vectors: new Map(request.alsoLabels.filter((label) => !found.has(label)).map((label) => [label, embedded[label]!])) };
    },
  };
  const fromStore = { paragraphs: searchable.paragraphs, keywords: searchable.keywords, dense: new StoreRetriever(store, searchable.paragraphs) };
  return { searchable, fromStore, embedder, requests, goDown: () => (down = true) };
}

const base: RankOptions = { mode: 'hybrid', scopes: new Set(['', 'g1']), candidates: 2, denseWeight: 0.5 };

describe('ranking with dense hits from the store', () => {
  it('ranks and scores as in memory, keyword-only hits scored from their stored vectors with the same int8 copy', async () => {
    const { searchable, fromStore, embedder, requests } = await fixture();
    for (const question of ['Where can I park my vehicle?', 'visitors lot', 'bicycles racks entrance']) {
      const vector = await embedder.embedQuery(question);
      const inMemory = rankPassages(searchable, question, vector, base);
      expect((await rankWithRetriever(fromStore, question, vector, base)).passages).toEqual(inMemory);
      expect((await rankWithRetriever(inMemoryRetrieval(searchable), question, vector, base)).passages).toEqual(inMemory);
    }
    // With 2 candidates, some keyword hits are not among the nearest: their vectors were asked for.
    expect(requests.some((request) => request.alsoLabels.length > 0)).toBe(true);
    expect(requests.every((request) => request.allowedLabels === undefined)).toBe(true);
  });

  it('sends a limited channel\'s paragraphs as the labels allowed', async () => {
    const { searchable, fromStore, embedder, requests } = await fixture();
    const options = { ...base, documents: (document: string) => document === 'd1.md' || document === 'd3.md' };
    const vector = await embedder.embedQuery('Where can I park my vehicle?');
    const ranked = await rankWithRetriever(fromStore, 'Where can I park my vehicle?', vector, options);
    expect(requests.at(-1)!.allowedLabels).toEqual([1, 3]);
    expect(ranked.passages.map((passage) => passage.paragraph.document).sort()).toEqual(['d1.md', 'd3.md']);
    expect(ranked.passages).toEqual(rankPassages(searchable, 'Where can I park my vehicle?', vector, options));
  });

  it('falls back to the keyword ranking when the store cannot search, and says why', async () => {
    const { searchable, fromStore, embedder, goDown } = await fixture();
    goDown();
    const question = 'Where can visitors park?';
    const ranked = await rankWithRetriever(fromStore, question, await embedder.embedQuery(question), { ...base, mode: 'dense' });
    expect(ranked).toMatchObject({ dense: false, denseFailure: 'connect ECONNREFUSED' });
    expect(ranked.passages).toEqual(rankPassages(searchable, question, null, { ...base, mode: 'keyword' }));
    expect(ranked.passages.length).toBeGreaterThan(0);
  });
});

