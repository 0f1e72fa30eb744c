import { isMostlyCjk } from './script.ts';

/** Which signals rank passages: dense vectors, BM25 keywords, or both mixed. */
export type SearchMode = 'hybrid' | 'dense' | 'keyword';

/** HYBRID_DENSE_WEIGHT_CJK's default, also what ranking uses when no weight for CJK questions is passed in. */
export const DEFAULT_HYBRID_DENSE_WEIGHT_CJK = 0;

/** The weights of dense similarity in a hybrid score (HYBRID_DENSE_WEIGHT and its CJK counterpart). */
export interface DenseWeights {
  readonly denseWeight: number;
  readonly denseWeightCjk?: number;
}

/**
 * The share of dense similarity in a question's score: 0 in keyword mode, 1 in dense mode, the weight for the
 * question's script in hybrid mode. At 0 (an English-only model and a Chinese question, by default) nothing about
 * the question needs its vector: neither ranking nor the highlight uses it.
 */
export function denseShare(mode: SearchMode, question: string, weights: DenseWeights): number {
  if (mode === 'keyword') return 0;
  if (mode === 'dense') return 1;
  return isMostlyCjk(question) ? (weights.denseWeightCjk ?? DEFAULT_HYBRID_DENSE_WEIGHT_CJK) : weights.denseWeight;
}
