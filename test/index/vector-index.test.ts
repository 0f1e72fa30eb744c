import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readHnswVectors } from '../../src/index/hnsw-file.ts';
import { VectorIndex } from '../../src/index/vector-index.ts';

const DIMENSION = 48;
const PARAMS = { m: 8, efConstruction: 50, efSearch: 50 };

function randomUnit(seed: number): Float32Array {
  let state = seed * 2654435761;
  const next = () => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  const vector = Float32Array.from({ length: DIMENSION }, next);
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
}

function cosine(a: Float32Array, b: Float32Array): number {
  return a.reduce((sum, value, i) => sum + value * b[i]!, 0) / (Math.hypot(...a) * Math.hypot(...b));
}

const folders: string[] = [];
function tempFile(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'vector-index-'));
  folders.push(folder);
  return path.join(folder, 'vectors.hnsw');
}
afterEach(() => folders.splice(0).forEach((folder) => fs.rmSync(folder, { recursive: true, force: true })));

describe('VectorIndex.similarity (what hybrid ranking uses for keyword-only hits)', () => {
  it('is the cosine to within 0.01, for vectors added, replaced into deleted slots, and read back from disk', () => {
    const index = VectorIndex.create(DIMENSION, PARAMS, 4);
    for (let label = 0; label < 40; label++) index.add(label, randomUnit(label + 1));
    for (let label = 0; label < 10; label++) index.remove(label);
    // Slots of deleted labels are reused; a vector that is not unit length is stored normalised, as hnswlib does.
    for (let label = 100; label < 105; label++) index.add(label, randomUnit(label).map((value) => 3 * value));
    const query = randomUnit(999);
    const file = tempFile();
    index.write(file);
    const reread = VectorIndex.read(file, DIMENSION, PARAMS, index.deletedSlots);

    const live = [...Array.from({ length: 30 }, (_, i) => i + 10), 100, 101, 102, 103, 104];
    for (const copy of [index, reread]) {
      for (const label of live) {
        const expected = cosine(randomUnit(label >= 100 ? label : label + 1), query);
        expect(Math.abs(copy.similarity(label, query)! - expected)).toBeLessThan(0.01);
      }
      for (let label = 0; label < 5; label++) expect(copy.similarity(label, query)).toBeUndefined();
    }
    expect(reread.size).toBe(35);
  });

  it('refuses a file whose deleted slots disagree with what the manifest recorded', () => {
    const index = VectorIndex.create(DIMENSION, PARAMS);
    for (let label = 0; label < 5; label++) index.add(label, randomUnit(label + 1));
    index.remove(2);
    const file = tempFile();
    index.write(file);
    expect(() => VectorIndex.read(file, DIMENSION, PARAMS, 0)).toThrow(/1 deleted slots, the manifest says 0/);
  });
});

describe('readHnswVectors', () => {
  it('yields every live label with the vector hnswlib stores for it', () => {
    const index = VectorIndex.create(DIMENSION, PARAMS);
    for (let label = 0; label < 20; label++) index.add(label * 7, randomUnit(label + 1));
    index.remove(21);
    const file = tempFile();
    index.write(file);
    const seen = new Map<number, Float32Array>();
    expect(readHnswVectors(file, DIMENSION, (label, vector) => seen.set(label, Float32Array.from(vector)))).toEqual({ live: 19, deleted: 1 });
    expect([...seen.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i * 7).filter((label) => label !== 21));
    for (const [label, vector] of seen) expect(vector).toEqual(index.vector(label));
  });

  it('throws on a file that is not an hnswlib index or ends early', () => {
    const index = VectorIndex.create(DIMENSION, PARAMS);
    for (let label = 0; label < 20; label++) index.add(label, randomUnit(label + 1));
    const file = tempFile();
    index.write(file);
    const whole = fs.readFileSync(file);
    fs.writeFileSync(file, whole.subarray(0, whole.length / 2));
    expect(() => readHnswVectors(file, DIMENSION, () => {})).toThrow(/ends inside its element records/);
    fs.writeFileSync(file, Buffer.alloc(40));
    expect(() => readHnswVectors(file, DIMENSION, () => {})).toThrow(/shorter than an hnswlib header/);
    fs.writeFileSync(file, Buffer.alloc(200, 7));
    expect(() => readHnswVectors(file, DIMENSION, () => {})).toThrow(/unexpected hnswlib record layout/);
  });
});
