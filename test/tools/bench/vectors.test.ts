import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/tools/shared/seeded-random.ts';
import { bruteForceKnn, gaussian, normalizeInPlace, paddedRow, padWithPerturbedCopies, perturb, randomUnitVector, recallAtK, toMatrix } from '../../../src/tools/bench/vectors.ts';

const norm = (vector: Float32Array) => Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, i) => sum + value * b[i]!, 0);

describe('seeded generators', () => {
  it('repeat the same sequence for the same seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const first = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(first);
    expect(first.every((value) => value > 0 && value < 1)).toBe(true);
  });

  it('draw standard normal numbers', () => {
    const normal = gaussian(seededRandom(1));
    const sample = Array.from({ length: 20_000 }, normal);
    const mean = sample.reduce((sum, value) => sum + value, 0) / sample.length;
    const variance = sample.reduce((sum, value) => sum + (value - mean) ** 2, 0) / sample.length;
    expect(mean).toBeCloseTo(0, 1);
    expect(variance).toBeCloseTo(1, 1);
  });
});

describe('perturbation', () => {
  const normal = gaussian(seededRandom(7));

  it('keeps unit length and stays near the source, nearer for less noise', () => {
    const source = randomUnitVector(384, normal);
    expect(norm(source)).toBeCloseTo(1, 5);
    const near = perturb(source, 0.01, normal);
    const far = perturb(source, 0.1, normal);
    expect(norm(near)).toBeCloseTo(1, 5);
    expect(norm(far)).toBeCloseTo(1, 5);
    expect(dot(source, near)).toBeGreaterThan(dot(source, far));
    // Expected cosine ≈ 1/√(1 + σ²·d): 0.98 for σ = 0.01, 0.45 for σ = 0.1 at d = 384.
    expect(dot(source, near)).toBeCloseTo(1 / Math.sqrt(1 + 0.01 ** 2 * 384), 1);
    expect(dot(source, far)).toBeCloseTo(1 / Math.sqrt(1 + 0.1 ** 2 * 384), 1);
    expect(near).not.toBe(source);
  });

  it('pads a base set to any size: the originals first, then unit-length copies', () => {
    const base = [randomUnitVector(8, normal), randomUnitVector(8, normal)];
    const padded = padWithPerturbedCopies(base, 7, 0.05, normal);
    expect(padded).toHaveLength(7);
    expect(padded[0]).toBe(base[0]);
    expect(padded[1]).toBe(base[1]);
    for (const vector of padded) expect(norm(vector)).toBeCloseTo(1, 5);
    // Copies are taken from the base in turn: row 2 from base 0, row 3 from base 1.
    expect(dot(padded[2]!, base[0]!)).toBeGreaterThan(0.9);
    expect(dot(padded[3]!, base[1]!)).toBeGreaterThan(0.9);
    expect(padded[2]).not.toEqual(base[0]);
    expect(() => padWithPerturbedCopies([], 3, 0.05, normal)).toThrow(RangeError);
    expect(paddedRow(base, 1, 0.05, normal)).toBe(base[1]);
  });

  it('leaves a zero vector zero when normalising', () => {
    expect(Array.from(normalizeInPlace(new Float32Array(3)))).toEqual([0, 0, 0]);
  });
});

describe('exact search and recall', () => {
  // Four unit vectors in the plane at known angles from the query (1, 0).
  const at = (degrees: number) => Float32Array.of(Math.cos((degrees * Math.PI) / 180), Math.sin((degrees * Math.PI) / 180));
  const matrix = toMatrix([at(90), at(10), at(180), at(45), at(-20)]);
  const query = at(0);

  it('finds the nearest rows by cosine, best first', () => {
    expect(bruteForceKnn(matrix, query, 3)).toEqual([1, 4, 3]);
    expect(bruteForceKnn(matrix, query, 10)).toEqual([1, 4, 3, 0, 2]);
  });

  it('agrees with sorting every score on random data', () => {
    const normal = gaussian(seededRandom(3));
    const vectors = Array.from({ length: 200 }, () => randomUnitVector(16, normal));
    const q = randomUnitVector(16, normal);
    const sorted = vectors.map((vector, row) => ({ row, score: dot(vector, q) })).sort((a, b) => b.score - a.score).map((hit) => hit.row);
    expect(bruteForceKnn(toMatrix(vectors), q, 10)).toEqual(sorted.slice(0, 10));
  });

  it('measures recall as the share of the exact top k found, ignoring order and extras', () => {
    const exact = bruteForceKnn(matrix, query, 3);
    expect(recallAtK([3, 1, 4], exact, 3)).toBe(1);
    expect(recallAtK([1, 4, 0], exact, 3)).toBeCloseTo(2 / 3);
    expect(recallAtK([0, 2, 1, 4, 3], exact, 3)).toBeCloseTo(1 / 3);
    expect(recallAtK([], exact, 3)).toBe(0);
  });
});
