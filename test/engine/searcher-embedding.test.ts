import { describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/embed/embedder.ts';
import { Searcher } from '../../src/engine/searcher.ts';
import { VectorIndex } from '../../src/index/vector-index.ts';
import { buildKeywordIndex } from '../../src/search/keyword-index.ts';
import { inMemoryRetrieval } from '../../src/search/rank-passages.ts';
import type { StoredParagraph } from '../../src/store/generation.ts';

const DIMENSION = 4;
const TEXTS = ['The ferry leaves the harbour every hour.', '渡輪每小時從港口出發。'];

/** An embedder that counts the questions it embeds (every text gets the same unit vector). */
function countingEmbedder() {
  const embedded: string[] = [];
  const unit = () => Float32Array.from({ length: DIMENSION }, (_, i) => (i === 0 ? 1 : 0));
  const embedder: Embedder = {
    modelId: 'test/counting',
    dimension: DIMENSION,
    maxTokens: 256,
    countTokens: (text) => text.length,
    embedPassages: async (texts) => texts.map(unit),
    embedQuery: async (text) => {
      embedded.push(text);
      return unit();
    },
    close: async () => {},
  };
  return { embedder, embedded };
}

function index(embedder: Embedder) {
  const paragraphs = TEXTS.map((text, label): StoredParagraph => ({
    label, scope: '', document: `d${label}.md`, title: 'Ferry', section: '', ordinal: 1, start: 0, end: text.length, text, hash: String(label),
  }));
  const vectors = VectorIndex.create(embedder.dimension, { m: 8, efConstruction: 32, efSearch: 16 });
  for (const paragraph of paragraphs) vectors.add(paragraph.label, Float32Array.from([1, 0, 0, 0]));
  return inMemoryRetrieval({ paragraphs: new Map(paragraphs.map((p) => [p.label, p])), vectors, keywords: buildKeywordIndex(paragraphs) });
}

describe('the question is embedded only when its vector is used', () => {
  it('in hybrid mode, embeds an English question but not a Chinese one whose dense share is 0, and both stay hybrid answers', async () => {
    const { embedder, embedded } = countingEmbedder();
    const searcher = new Searcher(embedder, { mode: 'hybrid', denseWeight: 0.4, denseWeightCjk: 0 });
    const searched = index(embedder);
    for (const question of ['When does the ferry leave the harbour?', '渡輪何時從港口出發？']) {
      const query = await searcher.query(question, searched);
      const result = await searcher.search(searched, query, { k: 1, offset: 0, scopes: new Set(['']), minScore: 0 });
      expect(result.mode).toBe('hybrid');
      expect(result.selection.passages).toHaveLength(1);
    }
    expect(embedded).toEqual(['When does the ferry leave the harbour?']);
  });

  it('embeds a Chinese question when a weight for Chinese is set (a multilingual model)', async () => {
    const { embedder, embedded } = countingEmbedder();
    const searcher = new Searcher(embedder, { mode: 'hybrid', denseWeight: 0.4, denseWeightCjk: 0.3 });
    await searcher.query('渡輪何時從港口出發？', index(embedder));
    expect(embedded).toEqual(['渡輪何時從港口出發？']);
  });
});
