import type { GenerationWatcher } from '../generation.ts';
import { watchGenerations } from './generation-watcher.ts';
import { readCommittedGeneration, readIndex, readVectorsCopy, writeIndex } from './index-storage.ts';
import { type Manifest, type ReadResult, type WriteCheckpoint } from '../generation.ts';
import { acquireReindexLock } from './reindex-lock.ts';
import type { HnswParams, VectorIndex } from '../../index/vector-index.ts';
import type { IndexStore, NewGeneration } from '../index-store.ts';

/**
 * Index generations in a folder (INDEX_DIR): each written beside the last and committed by replacing
 * manifest.json atomically; a lock file lets one process write at a time; the manifest is watched for commits.
 */
export class FileIndexStore implements IndexStore {
  constructor(private readonly indexDir: string) {}

  get location(): string {
    return this.indexDir;
  }

  readLatest(hnsw: HnswParams): ReadResult {
    return readIndex(this.indexDir, hnsw);
  }

  latestGeneration(): number | null {
    return readCommittedGeneration(this.indexDir);
  }

  readVectorsCopy(manifest: Manifest, hnsw: HnswParams): VectorIndex | null {
    return readVectorsCopy(this.indexDir, manifest, hnsw);
  }

  writeGeneration(contents: NewGeneration, previousGeneration: number, checkpoint?: (point: WriteCheckpoint) => void): Manifest {
    return writeIndex(this.indexDir, contents, previousGeneration, checkpoint);
  }

  lockWriter(): () => void {
    return acquireReindexLock(this.indexDir);
  }

  watch(intervalMs: number, onChange: () => void): GenerationWatcher {
    return watchGenerations(this.indexDir, { intervalMs, onChange });
  }
}
