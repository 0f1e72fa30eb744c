import type { GenerationWatcher, IndexContents, Manifest, ReadResult, StoredParagraph, WriteCheckpoint } from './generation.ts';
import type { HnswParams, VectorHit, VectorIndex } from '../index/vector-index.ts';

/** A generation to commit: everything but what the store fills in (number, checksums, counts). */
export type NewGeneration = Omit<IndexContents, 'manifest'> & {
  readonly manifest: Omit<Manifest, 'files' | 'generation' | 'formatVersion' | 'hnsw' | 'paragraphCount'> & {
    readonly hnsw: { readonly m: number; readonly efConstruction: number } | null;
  };
};

/** Whether the store answered its last request; what the health endpoint reports. */
export interface StoreHealth {
  readonly healthy: boolean;
  /** Why not, in one line, while unhealthy. */
  readonly reason?: string;
}

/** Releases the writer lock; resolves once it is released. */
export type ReleaseWriter = () => Promise<void>;

/**
 * Where index generations persist, and the one-writer rule between processes. The engine depends on this
 * interface only; {@link FileIndexStore} keeps generations in a folder, {@link PostgresIndexStore} in PostgreSQL.
 * Every method that reads or writes is asynchronous: a database answers over the network.
 */
export interface IndexStore {
  /** Where the index lives, for messages (never a password). */
  readonly location: string;
  /** The latest committed generation, verified: missing, corrupt (with a reason) or its contents. */
  readLatest(hnsw: HnswParams): Promise<ReadResult>;
  /** The number of the latest committed generation, without reading it; null when there is none. */
  latestGeneration(): Promise<number | null>;
  /** A private, modifiable copy of a generation's vectors (a reindex changes it, answers never see it). */
  readVectorsCopy(manifest: Manifest, hnsw: HnswParams): Promise<VectorIndex | null>;
  /** Writes and commits a generation after `previousGeneration`, atomically; returns its manifest. */
  writeGeneration(contents: NewGeneration, previousGeneration: number, checkpoint?: (point: WriteCheckpoint) => void): Promise<Manifest>;
  /** Takes the writer lock (one reindex at a time, across processes and machines); rejects with REINDEX_RUNNING if held. */
  lockWriter(): Promise<ReleaseWriter>;
  /** Calls `onChange` when a generation may have been committed (by anyone); `intervalMs` bounds the delay. */
  watch(intervalMs: number, onChange: () => void): GenerationWatcher;
  /**
   * Present when the store can read one knowledge base's paragraphs and search vectors itself (PostgreSQL with
   * pgvector): a process then keeps in memory only the knowledge bases it answers for, not whole generations.
   */
  readonly scopedReads?: ScopedReads;
  /** Whether the store is reachable now (a file store always is). Answers keep coming from memory while it is not. */
  health(): StoreHealth;
  /** Releases connections; the store is not used afterwards. */
  close(): Promise<void>;
}

/** The paragraphs of one knowledge base, as committed in `generation` (the latest when they were read). */
export interface ScopeParagraphs {
  readonly generation: number;
  readonly paragraphs: readonly StoredParagraph[];
}

/** A nearest-neighbour request answered by the store, for one question. */
export interface NearestRequest {
  /** The question's unit vector. */
  readonly vector: Float32Array;
  readonly k: number;
  /** Knowledge bases searched ("" = shared documents, else a server id). */
  readonly scopes: readonly string[];
  /** Only these paragraphs (a channel limited to some documents); absent: all of `scopes`. */
  readonly allowedLabels?: readonly number[];
  /** Paragraphs found otherwise (by keywords) whose vectors are wanted too, when they are not among the nearest. */
  readonly alsoLabels: readonly number[];
}

export interface NearestResult {
  readonly nearest: readonly VectorHit[];
  /** The stored vectors of those of `alsoLabels` not among `nearest`. */
  readonly vectors: ReadonlyMap<number, Float32Array>;
}

/** What a store that searches by itself offers (see {@link IndexStore.scopedReads}). */
export interface ScopedReads {
  /** The latest committed manifest (documents of every knowledge base, no paragraphs); null when there is none. */
  latestManifest(): Promise<Manifest | null>;
  /** One knowledge base's paragraphs, in the order of its generation. */
  readScope(scope: string): Promise<ScopeParagraphs>;
  /** The nearest paragraphs to a vector, plus the vectors of other given paragraphs: one round trip. */
  nearest(request: NearestRequest): Promise<NearestResult>;
}
