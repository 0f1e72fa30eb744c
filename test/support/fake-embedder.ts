import type { Embedder } from '../../src/embed/embedder.ts';

/**
 * A deterministic embedder for ranking tests: each word is hashed to one of `dimension` axes, after mapping
 * synonyms to a shared concept, so "automobile" and "car" embed alike while sharing no keyword.
 */
export function createConceptEmbedder(options: { synonyms?: Record<string, string>; dimension?: number; modelId?: string } = {}): Embedder & { calls: number; texts: number } {
  const dimension = options.dimension ?? 64;
  const synonyms = options.synonyms ?? {};
  const embed = (text: string) => {
    const vector = new Float32Array(dimension);
    for (const word of text.toLowerCase().match(/\p{L}+/gu) ?? []) {
      const concept = synonyms[word] ?? word;
      let hash = 2166136261;
      for (const char of concept) hash = Math.imul(hash ^ char.codePointAt(0)!, 16777619);
      vector[(hash >>> 0) % dimension]! += 1;
    }
    const norm = Math.hypot(...vector) || 1;
    return vector.map((value) => value / norm);
  };
  const embedder = {
    modelId: options.modelId ?? 'fake/concepts',
    dimension,
    maxTokens: 200,
    calls: 0,
    texts: 0,
    countTokens: (text: string) => text.split(/\s+/).filter(Boolean).length,
    async embedPassages(texts: readonly string[]) {
      embedder.calls++;
      embedder.texts += texts.length;
      return texts.map(embed);
    },
    async embedQuery(text: string) {
      return embed(text);
    },
    async close() {},
  };
  return embedder;
}

/** Wraps an embedder to count how many passages reach the model. */
export function countingEmbedder(inner: Embedder): Embedder & { texts: number } {
  const counter = {
    get modelId() {
      return inner.modelId;
    },
    get dimension() {
      return inner.dimension;
    },
    get maxTokens() {
      return inner.maxTokens;
    },
    texts: 0,
    countTokens: (text: string) => inner.countTokens(text),
    embedQuery: (text: string) => inner.embedQuery(text),
    close: () => inner.close(),
    async embedPassages(texts: readonly string[]) {
      counter.texts += texts.length;
      return inner.embedPassages(texts);
    },
  };
  return counter;
}
