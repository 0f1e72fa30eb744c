/**
 * Synthetic vectors and exact search for the HNSW and end-to-end benches (seeded by ../shared/seeded-random.ts, so a run can be
 * repeated): perturbed copies that pad real embeddings to any size, random unit vectors (HNSW's hardest case), and
 * the brute-force scan that Recall@k is measured against.
 */

/** Standard normal numbers (Box–Muller) drawn from `random`. */
export function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());
}

/** Scales `vector` to unit length in place (a zero vector stays zero) and returns it. */
export function normalizeInPlace(vector: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i]! * vector[i]!;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < vector.length; i++) vector[i]! *= scale;
  return vector;
}

/** A unit vector drawn uniformly from the sphere (normalised Gaussian). */
export function randomUnitVector(dimension: number, normal: () => number): Float32Array {
  const vector = new Float32Array(dimension);
  for (let i = 0; i < dimension; i++) vector[i] = normal();
  return normalizeInPlace(vector);
}

/**
 * A near copy of `vector`: Gaussian noise of standard deviation `sigma` per component, renormalised. Its expected
 * cosine to the original is about 1/√(1 + σ²·dimension), so σ sets how far copies stray from their source.
 */
export function perturb(vector: Float32Array, sigma: number, normal: () => number): Float32Array {
  const copy = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i++) copy[i] = vector[i]! + sigma * normal();
  return normalizeInPlace(copy);
}

/**
 * Row `row` of a data set padded from `base`: the base vectors themselves first, then perturbed copies of them taken
 * in turn, so that a few thousand real embeddings stand in for a corpus of any size with the same neighbourhoods.
 */
export function paddedRow(base: readonly Float32Array[], row: number, sigma: number, normal: () => number): Float32Array {
  if (base.length === 0) throw new RangeError('padding needs at least one base vector');
  const source = base[row % base.length]!;
  return row < base.length ? source : perturb(source, sigma, normal);
}

/** `size` unit vectors padded from `base` (see {@link paddedRow}). */
export function padWithPerturbedCopies(base: readonly Float32Array[], size: number, sigma: number, normal: () => number): Float32Array[] {
  return Array.from({ length: size }, (_, row) => paddedRow(base, row, sigma, normal));
}

/** Vectors packed row after row in one Float32Array: what a brute-force scan reads fastest. */
export interface VectorMatrix {
  readonly rows: number;
  readonly dimension: number;
  readonly data: Float32Array;
}

export function toMatrix(vectors: readonly Float32Array[]): VectorMatrix {
  return fillMatrix(vectors.length, vectors[0]?.length ?? 0, (row) => vectors[row]!);
}

/** A matrix whose rows `makeRow` produces one at a time, so that a large data set never exists twice. */
export function fillMatrix(rows: number, dimension: number, makeRow: (row: number) => Float32Array): VectorMatrix {
  const data = new Float32Array(rows * dimension);
  for (let row = 0; row < rows; row++) data.set(makeRow(row), row * dimension);
  return { rows, dimension, data };
}

/**
 * The exact `k` nearest rows to `query` by inner product (cosine, for unit vectors), best first, as row indexes:
 * a plain loop over the matrix keeping a sorted top-k, the baseline HNSW has to beat. Ties go to the lower row.
 */
export function bruteForceKnn(matrix: VectorMatrix, query: Float32Array, k: number): number[] {
  const { rows, dimension, data } = matrix;
  const limit = Math.min(k, rows);
  const bestRows = new Int32Array(limit);
  const bestScores = new Float64Array(limit).fill(-Infinity);
  for (let row = 0; row < rows; row++) {
    const offset = row * dimension;
    let score = 0;
    for (let d = 0; d < dimension; d++) score += data[offset + d]! * query[d]!;
    if (score <= bestScores[limit - 1]!) continue;
    let slot = limit - 1;
    while (slot > 0 && bestScores[slot - 1]! < score) {
      bestScores[slot] = bestScores[slot - 1]!;
      bestRows[slot] = bestRows[slot - 1]!;
      slot--;
    }
    bestScores[slot] = score;
    bestRows[slot] = row;
  }
  return Array.from(bestRows);
}

/**
 * Recall@k of one result list: the share of the exact top `k` that the approximate top `k` found. Order inside
 * the top k does not matter; an approximate list longer than `k` is cut to `k`.
 */
export function recallAtK(approximate: readonly number[], exact: readonly number[], k: number): number {
  const truth = new Set(exact.slice(0, k));
  if (truth.size === 0) return 1;
  let found = 0;
  for (const label of approximate.slice(0, k)) if (truth.has(label)) found++;
  return found / truth.size;
}
