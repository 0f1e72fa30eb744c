import type { GenerationWatcher, IndexContents, Manifest, ReadResult, WriteCheckpoint } from './generation.ts';
import type { HnswParams, VectorIndex } from '../index/vector-index.ts';

/** A generation to commit: everything but what the store fills in (number, checksums, counts). */
export type NewGeneration = Omit<IndexContents, 'manifest'> & {
  readonly manifest: Omit<Manifest, 'files' | 'generation' | 'formatVersion' | 'hnsw' | 'paragraphCount'> & {
    readonly hnsw: { readonly m: number; readonly efConstruction: number } | null;
  };
};

/**
 * Where index generations persist, and the one-writer rule between processes. The engine depends on this
 * interface only; {@link FileIndexStore} keeps generations in a folder, and another backend (PostgreSQL) is one
 * more implementation of it.
 */
export interface IndexStore {
  /** Where the index lives, for messages. */
  readonly location: string;
  /** The latest committed generation, verified: missing, corrupt (with a reason) or its contents. */
  readLatest(hnsw: HnswParams): ReadResult;
  /** The number of the latest committed generation, without reading it; null when there is none. */
  latestGeneration(): number | null;
  /** A private, modifiable copy of a generation's vectors (a reindex changes it, answers never see it). */
  readVectorsCopy(manifest: Manifest, hnsw: HnswParams): VectorIndex | null;
  /** Writes and commits a generation after `previousGeneration`, atomically; returns its manifest. */
  writeGeneration(contents: NewGeneration, previousGeneration: number, checkpoint?: (point: WriteCheckpoint) => void): Manifest;
  /** Takes the writer lock (one reindex at a time, across processes); throws REINDEX_RUNNING if held. Returns release. */
  lockWriter(): () => void;
  /** Calls `onChange` when a generation may have been committed (by anyone); `intervalMs` bounds the delay. */
  watch(intervalMs: number, onChange: () => void): GenerationWatcher;
}
