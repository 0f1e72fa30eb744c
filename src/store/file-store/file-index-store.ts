import type { GenerationWatcher } from '../generation.ts';
import { watchGenerations } from './generation-watcher.ts';
import { readCommittedGeneration, readIndex, readVectorsCopy, writeIndex } from './index-storage.ts';
import { type Manifest, type ReadResult, type WriteCheckpoint } from '../generation.ts';
import { acquireReindexLock } from './reindex-lock.ts';
import type { HnswParams, VectorIndex } from '../../index/vector-index.ts';
import type { IndexStore, NewGeneration, ReleaseWriter, StoreHealth } from '../index-store.ts';

/**
 * Index generations in a folder (INDEX_DIR): each written beside the last and committed by replacing
 * manifest.json atomically; a lock file lets one process write at a time; the manifest is watched for commits.
 * The work is synchronous file I/O behind the asynchronous interface.
 */
export class FileIndexStore implements IndexStore {
  constructor(private readonly indexDir: string) {}

  get location(): string {
    return this.indexDir;
  }

  async readLatest(hnsw: HnswParams): Promise<ReadResult> {
    return readIndex(this.indexDir, hnsw);
  }

  async latestGeneration(): Promise<number | null> {
    return readCommittedGeneration(this.indexDir);
  }

  async readVectorsCopy(manifest: Manifest, hnsw: HnswParams): Promise<VectorIndex | null> {
    return readVectorsCopy(this.indexDir, manifest, hnsw);
  }

  async writeGeneration(contents: NewGeneration, previousGeneration: number, checkpoint?: (point: WriteCheckpoint) => void): Promise<Manifest> {
    return writeIndex(this.indexDir, contents, previousGeneration, checkpoint);
  }

  async lockWriter(): Promise<ReleaseWriter> {
    const release = acquireReindexLock(this.indexDir);
    return async () => release();
  }

  watch(intervalMs: number, onChange: () => void): GenerationWatcher {
    return watchGenerations(this.indexDir, { intervalMs, onChange });
  }

  health(): StoreHealth {
    return { healthy: true };
  }

  async close(): Promise<void> {}
}
