import type { EngineConfig } from '../config.ts';
import type { Embedder } from '../embed/embedder.ts';
import { createError, describeError, isAppError } from '../errors.ts';
import type { HnswParams } from '../index/vector-index.ts';
import type { Logger } from '../logger.ts';
import { buildKeywordIndex } from '../search/keyword-index.ts';
import type { SearchableIndex } from '../search/rank-passages.ts';
import type { GenerationWatcher, IndexContents, ReadResult, WriteCheckpoint } from '../store/generation.ts';
import type { IndexStore } from '../store/index-store.ts';
import { buildIndex } from './build-index.ts';
import type { DocumentChange } from './document-changes.ts';
import { listDocumentSources, readAllSources } from './document-sources.ts';
import { splitDocuments } from './split-documents.ts';
import { reindexProgress, type ReindexProgress, type ReindexReport } from './types.ts';

export type ReindexCheckpoint = 'embedding' | WriteCheckpoint;

/** What answers are given from: one committed generation and the indexes built over it; immutable. */
export interface Published {
  readonly contents: IndexContents;
  readonly searchable: SearchableIndex;
}

type LifecycleConfig = Pick<
  EngineConfig,
  'docsDir' | 'dataDir' | 'maxDocumentBytes' | 'embeddingMaxTokens' | 'parseTimeLimitMs' | 'parseMemoryLimitMb' | 'indexWatchMs' | 'hnswM' | 'hnswEfConstruction' | 'hnswEfSearch'
>;

/**
 * The index's life: load the latest committed generation, reindex the documents into the next one (one writer at
 * a time, across processes), publish it, and notice generations other processes commit. Answers read
 * {@link published}, which is replaced whole, never changed.
 */
export class IndexLifecycle {
  private current: Published | null = null;
  private running: Promise<ReindexReport> | null = null;
  private needsRebuild: string | null = null;
  private watcher: GenerationWatcher | null = null;
  private readonly hnsw: HnswParams;

  constructor(
    private readonly config: LifecycleConfig,
    private readonly embedder: Embedder | null,
    private readonly store: IndexStore,
    private readonly logger: Logger,
    private readonly checkpoint: (point: ReindexCheckpoint) => void,
  ) {
    this.hnsw = { m: config.hnswM, efConstruction: config.hnswEfConstruction, efSearch: config.hnswEfSearch };
  }

  /**
   * Loads the latest generation and starts watching for newer ones. An index that is corrupt or was built with
   * another model is marked for a rebuild, which {@link ensureIndex} or {@link reindex} performs.
   */
  open(): void {
    this.loadLatest();
    if (this.config.indexWatchMs > 0) {
      this.watcher = this.store.watch(this.config.indexWatchMs, () => this.adoptNewerGeneration());
    }
  }

  /** Stops watching and lets a running reindex finish. */
  async close(): Promise<void> {
    this.watcher?.close();
    this.watcher = null;
    await this.idle();
  }

  get published(): Published | null {
    return this.current;
  }

  /** Whether an index is loaded and current (nothing to build before answering). */
  get ready(): boolean {
    return this.current !== null && this.needsRebuild === null;
  }

  /** Builds the index if there is none, or rebuilds it when it is corrupt or built with another model. */
  async ensureIndex(onProgress?: (progress: ReindexProgress) => void): Promise<ReindexReport | null> {
    return this.ready ? null : this.reindex(onProgress);
  }

  /**
   * Brings the index up to date with the documents: only new or changed paragraphs are embedded, removed ones
   * are dropped. One reindex at a time: a second call (from this process or another) fails with REINDEX_RUNNING.
   */
  reindex(onProgress?: (progress: ReindexProgress) => void): Promise<ReindexReport> {
    return this.reindexWith(null, onProgress);
  }

  /**
   * Applies `change` to the documents under the lock and reindexes, once no reindex of this process runs; undone
   * if the reindex fails. A refusal by the lock (another process reindexes) names what was not done: `refused`.
   */
  async changeDocuments(change: DocumentChange, refused: string, onProgress?: (progress: ReindexProgress) => void): Promise<ReindexReport> {
    while (this.running) await this.idle();
    return this.reindexWith(change, onProgress).catch((error) => {
      if (!isAppError(error, 'REINDEX_RUNNING')) throw error;
      throw createError('REINDEX_RUNNING', refused);
    });
  }

  /**
   * Takes the lock (once no reindex of this process runs), runs `work` (a source sync fetching and writing its
   * files), then reindexes, and releases the lock. Another process holding the lock refuses it, naming what was
   * not done: `refused`. Files `work` wrote stay if the reindex fails; the next reindex picks them up.
   */
  async underLock<T>(refused: string, work: () => Promise<T>, onProgress?: (progress: ReindexProgress) => void): Promise<{ value: T; report: ReindexReport }> {
    while (this.running) await this.idle();
    let release: () => void;
    try {
      release = this.store.lockWriter();
    } catch (error) {
      if (isAppError(error, 'REINDEX_RUNNING')) throw createError('REINDEX_RUNNING', refused);
      throw error;
    }
    const job = (async () => {
      const value = await work();
      return { value, report: await this.runReindex(onProgress) };
    })().finally(() => {
      release();
      this.running = null;
    });
    const running = job.then((done) => done.report);
    running.catch(() => undefined); // the caller sees the failure through `job`
    this.running = running;
    return job;
  }

  /** Resolves when no reindex is running in this process. */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  /**
   * Takes the lock, then applies `change` and reindexes. The change is made only once the lock is held, and
   * undone if the reindex fails, so a refused or failed reindex never leaves a document on disk that the index
   * does not show (or the reverse).
   */
  private reindexWith(change: DocumentChange | null, onProgress?: (progress: ReindexProgress) => void): Promise<ReindexReport> {
    if (this.running) {
      return Promise.reject(createError('REINDEX_RUNNING'));
    }
    let release: (() => void) | undefined;
    try {
      release = this.store.lockWriter();
      change?.apply();
    } catch (error) {
      release?.();
      return Promise.reject(error); // a caller awaiting the promise must see the refusal, not a synchronous throw
    }
    this.running = this.runReindex(onProgress)
      .catch((error: unknown) => {
        change?.undo();
        throw error;
      })
      .finally(() => {
        release();
        this.running = null;
      });
    return this.running;
  }

  /**
   * Publishes the latest committed generation if another process (a CLI `index`, another bot) committed a newer
   * one than the published: its documents become answerable, and the next reindex builds on it rather than on a
   * generation that process has deleted. Not while this process reindexes: it holds the lock, so nobody else
   * can commit, and it publishes its own generation when done.
   */
  private adoptNewerGeneration(): void {
    if (this.running) return;
    const committed = this.store.latestGeneration();
    if (committed === null || committed <= (this.current?.contents.manifest.generation ?? 0)) return;
    const before = this.current;
    try {
      this.loadLatest(); // logs an unusable generation itself
      if (this.current !== before) this.logger.info(`Loaded index generation ${this.current!.contents.manifest.generation}, committed by another process`);
    } catch (error) {
      this.logger.error(`Could not load index generation ${committed} committed by another process: ${describeError(error)}`);
    }
  }

  private loadLatest(): void {
    let result: ReadResult;
    try {
      result = this.store.readLatest(this.hnsw);
    } catch (error) {
      result = { status: 'corrupt', reason: describeError(error) };
    }
    if (result.status === 'missing') {
      this.needsRebuild = 'no index yet';
      return;
    }
    if (result.status === 'corrupt') {
      this.logger.error(`Index unusable, it will be rebuilt from the documents: ${result.reason}`);
      this.needsRebuild = result.reason;
      return;
    }
    this.publish(result.contents);
    const mismatch = this.incompatibility(result.contents);
    if (mismatch) this.logger.warn(`Index needs a full rebuild: ${mismatch}`);
    this.needsRebuild = mismatch;
  }

  /** Why the index cannot be updated incrementally with the current model and settings, if it can't. */
  private incompatibility(contents: IndexContents): string | null {
    const { model, hnsw } = contents.manifest;
    const wanted = this.embedder ? `${this.embedder.modelId} (${this.embedder.dimension} dimensions)` : 'none (keyword only)';
    const built = model ? `${model.id} (${model.dimension} dimensions)` : 'none (keyword only)';
    if (built !== wanted) return `it was built with embedding model ${built}; the configuration uses ${wanted}`;
    if (hnsw && (hnsw.m !== this.hnsw.m || hnsw.efConstruction !== this.hnsw.efConstruction)) {
      return `its HNSW parameters (M=${hnsw.m}, efConstruction=${hnsw.efConstruction}) differ from the configuration`;
    }
    return null;
  }

  private async runReindex(onProgress?: (progress: ReindexProgress) => void): Promise<ReindexReport> {
    const started = performance.now();
    this.adoptNewerGeneration(); // under the lock: what is committed now stays until this reindex commits
    const current = this.current?.contents ?? null;
    const reusable = current && !this.incompatibility(current) && this.needsRebuild === null ? current : null;
    if (current && !reusable) this.logger.info(`Full rebuild: ${this.needsRebuild ?? this.incompatibility(current)}`);

    const { documents, skipped } = await this.readDocuments(onProgress);
    const built = await buildIndex({
      previous: reusable,
      previousVectors: reusable ? this.store.readVectorsCopy(reusable.manifest, this.hnsw) : null,
      documents,
      embedder: this.embedder,
      hnsw: this.hnsw,
      onProgress: (progress) => {
        if (progress.embedded > 0) this.checkpoint('embedding');
        onProgress?.(progress);
      },
    });
    const counts = { documents: documents.length, paragraphs: built.paragraphs.length, embedded: built.counts.embedded, toEmbed: built.counts.embedded };
    onProgress?.(reindexProgress('writing', counts));

    let manifest;
    try {
      manifest = this.store.writeGeneration(
        {
          paragraphs: built.paragraphs,
          vectors: built.vectors,
          manifest: {
            createdAt: new Date().toISOString(),
            model: this.embedder ? { id: this.embedder.modelId, dimension: this.embedder.dimension } : null,
            hnsw: this.embedder ? { m: this.hnsw.m, efConstruction: this.hnsw.efConstruction } : null,
            nextLabel: built.nextLabel,
            documents: built.documents,
          },
        },
        current?.manifest.generation ?? 0,
        this.checkpoint,
      );
    } catch (error) {
      throw createError('INDEX_WRITE_FAILED', this.store.location, describeError(error)).causedBy(error);
    }
    this.publish({ manifest, paragraphs: built.paragraphs, vectors: built.vectors });
    this.needsRebuild = null;
    onProgress?.(reindexProgress('done', counts));
    return { ...built.counts, skipped, rebuilt: reusable === null, seconds: (performance.now() - started) / 1000 };
  }

  /** Every knowledge base's documents, split into paragraphs; what cannot be read or split is skipped, with why. */
  private async readDocuments(onProgress?: (progress: ReindexProgress) => void) {
    const sources = listDocumentSources(this.config.docsDir, this.config.dataDir);
    const { documents: read, skipped } = await readAllSources(sources, this.config.maxDocumentBytes);
    onProgress?.(reindexProgress('reading', { documents: read.length }));
    const { split, skipped: overBudget } = await splitDocuments(read, this.embedder, this.config.embeddingMaxTokens, {
      timeMs: this.config.parseTimeLimitMs,
      memoryMb: this.config.parseMemoryLimitMb,
    });
    skipped.push(...overBudget.map(({ document, reason }) => ({ path: document.file, reason })));
    for (const skip of skipped) this.logger.warn(`Skipped ${skip.path}: ${skip.reason}`);
    return { documents: split, skipped };
  }

  private publish(contents: IndexContents): void {
    const keywords = buildKeywordIndex(contents.paragraphs);
    const paragraphs = new Map(contents.paragraphs.map((paragraph) => [paragraph.label, paragraph]));
    const scopes = new Set(contents.paragraphs.map((paragraph) => paragraph.scope));
    this.current = { contents, searchable: { paragraphs, vectors: contents.vectors, keywords, scopes } };
  }
}
