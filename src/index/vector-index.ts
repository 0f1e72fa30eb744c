import hnswlib from 'hnswlib-node';
import { readHnswVectors } from './hnsw-file.ts';
import { QuantizedVectors } from './quantized-vectors.ts';

const { HierarchicalNSW } = hnswlib;
type Hnsw = InstanceType<typeof HierarchicalNSW>;

/** HNSW graph parameters; stored in the manifest because an index is only readable with the same ones. */
export interface HnswParams {
  readonly m: number;
  readonly efConstruction: number;
  /** Candidate list size at query time: higher is more exact and slower (chosen by measurement, see bench). */
  readonly efSearch: number;
}

export interface VectorHit {
  readonly label: number;
  /** Cosine similarity in [-1, 1]. */
  readonly similarity: number;
}

/**
 * Approximate nearest-neighbour search over unit vectors (hnswlib's cosine space), keyed by integer labels that
 * the paragraph store assigns. Removed labels are marked deleted and their slots reused by later additions, so an
 * index that is updated often does not grow without bound.
 */
export class VectorIndex {
  private deleted = 0;
  /** For scoring one given vector (keyword-only hits) without a round trip through hnswlib. */
  private readonly copies: QuantizedVectors;

  private constructor(
    private readonly hnsw: Hnsw,
    readonly dimension: number,
    private readonly params: HnswParams,
    capacity: number,
  ) {
    hnsw.setEf(params.efSearch);
    this.copies = new QuantizedVectors(dimension, Math.max(1, capacity));
  }

  static create(dimension: number, params: HnswParams, capacity = 1024): VectorIndex {
    const hnsw = new HierarchicalNSW('cosine', dimension);
    hnsw.initIndex({ maxElements: capacity, m: params.m, efConstruction: params.efConstruction, randomSeed: 100, allowReplaceDeleted: true });
    return new VectorIndex(hnsw, dimension, params, capacity);
  }

  /** Reads an index file; throws if it is truncated or not an index (hnswlib checks its own layout). */
  static read(file: string, dimension: number, params: HnswParams, deletedSlots: number): VectorIndex {
    const hnsw = new HierarchicalNSW('cosine', dimension);
    hnsw.readIndexSync(file, true);
    const index = new VectorIndex(hnsw, dimension, params, hnsw.getCurrentCount());
    const { deleted } = readHnswVectors(file, dimension, (label, vector) => index.copies.set(label, vector));
    if (deleted !== deletedSlots) throw new Error(`the file has ${deleted} deleted slots, the manifest says ${deletedSlots}`);
    index.deleted = deletedSlots;
    return index;
  }

  /** Slots in use, deleted ones included (what the file holds). */
  get slots(): number {
    return this.hnsw.getCurrentCount();
  }

  get deletedSlots(): number {
    return this.deleted;
  }

  /** Live vectors. */
  get size(): number {
    return this.slots - this.deleted;
  }

  add(label: number, vector: Float32Array): void {
    if (vector.length !== this.dimension) {
      throw new Error(`vector has ${vector.length} dimensions, the index ${this.dimension}`);
    }
    const reuse = this.deleted > 0;
    if (!reuse && this.slots >= this.hnsw.getMaxElements()) {
      this.hnsw.resizeIndex(Math.max(1024, this.hnsw.getMaxElements() * 2));
    }
    this.hnsw.addPoint(Array.from(vector), label, reuse);
    if (reuse) this.deleted--;
    this.copies.set(label, vector);
  }

  remove(label: number): void {
    this.hnsw.markDelete(label);
    this.deleted++;
    this.copies.delete(label);
  }

  /** The stored (normalised) vector of a live label, exactly. Slow (~90 µs): for copying, not for ranking. */
  vector(label: number): Float32Array {
    return Float32Array.from(this.hnsw.getPoint(label));
  }

  /**
   * Cosine similarity between a live label's vector and a unit `query`, to within 0.01 (from an int8 copy; about
   * a microsecond); undefined for an unknown label.
   */
  similarity(label: number, query: Float32Array): number | undefined {
    return this.copies.dot(label, query);
  }

  /** The `k` nearest live vectors, optionally only among labels that pass `filter`. */
  search(query: Float32Array, k: number, filter?: (label: number) => boolean): VectorHit[] {
    const limit = Math.min(k, this.size);
    if (limit <= 0) return [];
    this.hnsw.setEf(Math.max(this.params.efSearch, limit));
    const { neighbors, distances } = this.hnsw.searchKnn(Array.from(query), limit, filter);
    return neighbors.map((label, i) => ({ label, similarity: 1 - distances[i]! }));
  }

  write(file: string): void {
    this.hnsw.writeIndexSync(file);
  }
}
