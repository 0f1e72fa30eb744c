import type { Embedder } from '../../embed/embedder.ts';
import { normalizeInPlace, perturb } from './vectors.ts';
import { splitSentences, type XquadCorpus } from '../shared/xquad.ts';

/**
 * Real texts and their embeddings by the MiniLM-shaped model, the seed from which the HNSW and end-to-end benches
 * grow corpora of any size.
 *
 * A random-weight model puts every text in a narrow cone (mean pairwise cosine ≈ 0.96 on XQuAD), unlike a trained
 * one. Subtracting the corpus mean and renormalising ("centring") spreads the vectors out (mean pairwise cosine ≈ 0,
 * median nearest-neighbour cosine ≈ 0.5, close to what trained sentence embeddings show) while keeping which texts
 * are near which. Queries go through the same {@link EmbeddingCorpus.center}.
 */
export interface EmbeddingCorpus {
  /** The distinct sentences of the paragraphs used, in order of first appearance. */
  readonly sentences: readonly string[];
  /** Centred embeddings: the paragraphs, then the sentences. */
  readonly vectors: readonly Float32Array[];
  /** Centred embeddings of the sentences alone (the tail of `vectors`), index-aligned with `sentences`. */
  readonly sentenceVectors: readonly Float32Array[];
  /** Centres a new vector (a query) like the corpus; returns a new unit vector. */
  center(vector: Float32Array): Float32Array;
}

export async function embedCorpus(embedder: Embedder, corpus: XquadCorpus, paragraphLimit = Infinity): Promise<EmbeddingCorpus> {
  const paragraphs = corpus.paragraphs.slice(0, paragraphLimit);
  const sentences = [...new Set(paragraphs.flatMap(splitSentences))];
  const raw = [...(await embedder.embedPassages(paragraphs)), ...(await embedder.embedPassages(sentences))];
  const mean = new Float32Array(embedder.dimension);
  for (const vector of raw) for (let d = 0; d < mean.length; d++) mean[d]! += vector[d]! / raw.length;
  const center = (vector: Float32Array) => normalizeInPlace(vector.map((value, d) => value - mean[d]!));
  const vectors = raw.map(center);
  return { sentences, vectors, sentenceVectors: vectors.slice(paragraphs.length), center };
}

/**
 * A synthetic paragraph: 2–6 sentences drawn at random, whose vector is the normalised sum of theirs plus a little
 * noise (so no two are equal). Such vectors stay in the span of real embeddings, unlike isotropic noise, which
 * gives every copy a random component in all 384 dimensions and makes the data as hard as random vectors.
 */
export function sentenceMixture(sentenceVectors: readonly Float32Array[], random: () => number, normal: () => number, sigma: number): { picks: number[]; vector: Float32Array } {
  const picks = Array.from({ length: 2 + Math.floor(random() * 5) }, () => Math.floor(random() * sentenceVectors.length));
  const sum = new Float32Array(sentenceVectors[0]!.length);
  for (const pick of picks) sentenceVectors[pick]!.forEach((value, d) => (sum[d]! += value));
  return { picks, vector: perturb(normalizeInPlace(sum), sigma, normal) };
}
