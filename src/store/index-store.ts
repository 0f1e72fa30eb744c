import type { GenerationWatcher, IndexContents, Manifest, ReadResult, WriteCheckpoint } from './generation.ts';
import type { HnswParams, VectorIndex } from '../index/vector-index.ts';

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
  /** Whether the store is reachable now (a file store always is). Answers keep coming from memory while it is not. */
  health(): StoreHealth;
  /** Releases connections; the store is not used afterwards. */
  close(): Promise<void>;
}
