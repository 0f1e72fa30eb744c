/** Which signals rank passages: dense vectors, BM25 keywords, or both mixed. */
export type SearchMode = 'hybrid' | 'dense' | 'keyword';

/** HYBRID_DENSE_WEIGHT_CJK's default, also what ranking uses when no weight for CJK questions is passed in. */
export const DEFAULT_HYBRID_DENSE_WEIGHT_CJK = 0;
