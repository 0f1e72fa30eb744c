import type { EngineConfig } from '../config.ts';
import type { Embedder } from '../embed/embedder.ts';
import { createError, describeError, isAppError } from '../errors.ts';
import type { HnswParams } from '../index/vector-index.ts';
import type { Logger } from '../logger.ts';
import type { GenerationWatcher, IndexContents, Manifest, ReadResult, WriteCheckpoint } from '../store/generation.ts';
import type { IndexStore, ReleaseWriter, StoreHealth } from '../store/index-store.ts';
import { buildIndex } from './build-index.ts';
import type { DocumentChange } from './document-changes.ts';
import { listDocumentSources, readAllSources } from './document-sources.ts';
import { ScopesOnDemand, WholeGeneration, type Published, type ScopeLoading } from './published-index.ts';
import { splitDocuments } from './split-documents.ts';
import { reindexProgress, type ReindexProgress, type ReindexReport } from './types.ts';

export type ReindexCheckpoint = 'embedding' | WriteCheckpoint;
export type { Published } from './published-index.ts';

/** The shared documents: every process answers from them, so they are loaded with each generation. */
const SHARED_SCOPE = '';

type LifecycleConfig = Pick<
  EngineConfig,
  'docsDir' | 'dataDir' | 'maxDocumentBytes' | 'embeddingMaxTokens' | 'parseTimeLimitMs' | 'parseMemoryLimitMb' | 'indexWatchMs' | 'hnswM' | 'hnswEfConstruction' | 'hnswEfSearch'
>;

/**
 * The index's life: load the latest committed generation, reindex the documents into the next one (one writer at
 * a time, across processes), publish it, and notice generations other processes commit. Answers read
 * {@link published}, which is replaced whole. A store that searches by itself ({@link IndexStore.scopedReads})
 * gets a generation of which only the knowledge bases asked about are loaded ({@link ScopesOnDemand}); any other,
 * the whole generation ({@link WholeGeneration}).
 */
export class IndexLifecycle {
  private current: Published | null = null;
  private running: Promise<ReindexReport> | null = null;
  private adopting: Promise<void> | null = null;
  private needsRebuild: string | null = null;
  private watcher: GenerationWatcher | null = null;
  private readonly hnsw: HnswParams;
  private readonly scopeLoading: ScopeLoading;

  constructor(
    private readonly config: LifecycleConfig,
    private readonly embedder: Embedder | null,
    private readonly store: IndexStore,
    private readonly logger: Logger,
    private readonly checkpoint: (point: ReindexCheckpoint) => void,
  ) {
    this.hnsw = { m: config.hnswM, efConstruction: config.hnswEfConstruction, efSearch: config.hnswEfSearch };
    this.scopeLoading = {
      onNewerGeneration: () => {
        if (!this.running) void this.adoptNewerGeneration();
      },
      onLoadFailure: (scope, error) => {
        this.logger.error(`Could not load the ${scope === SHARED_SCOPE ? 'shared documents' : `documents of server ${scope}`} from ${this.store.location}; answering without them: ${describeError(error)}`);
      },
    };
  }

  /**
   * Loads the latest generation and starts watching for newer ones. An index that is corrupt or was built with
   * another model is marked for a rebuild, which {@link ensureIndex} or {@link reindex} performs.
   */
  async open(): Promise<void> {
    this.publishRead(await this.readPublishable());
    if (this.config.indexWatchMs > 0) {
      this.watcher = this.store.watch(this.config.indexWatchMs, () => {
        if (!this.running) void this.adoptNewerGeneration();
      });
    }
  }

  /** Stops watching, lets a running reindex (and the load of a newer generation) finish, and closes the store. */
  async close(): Promise<void> {
    this.watcher?.close();
    this.watcher = null;
    await this.idle();
    await this.adopting;
    await this.store.close();
  }

  /** Whether the index store answers (a database may be down: answers keep coming from memory meanwhile). */
  storeHealth(): StoreHealth {
    return this.store.health();
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
    // Set at once (below), before the lock is even asked for, so that no other reindex of this process starts meanwhile.
    const job = (async () => {
      let release: ReleaseWriter;
      try {
        release = await this.store.lockWriter();
      } catch (error) {
        if (isAppError(error, 'REINDEX_RUNNING')) throw createError('REINDEX_RUNNING', refused);
        throw error;
      }
      try {
        const value = await work();
        return { value, report: await this.runReindex(onProgress) };
      } finally {
        await release();
      }
    })().finally(() => {
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
    // Set at once, so that a second call in this process is refused before the lock is even asked for.
    this.running = this.lockedReindex(change, onProgress).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async lockedReindex(change: DocumentChange | null, onProgress?: (progress: ReindexProgress) => void): Promise<ReindexReport> {
    const release = await this.store.lockWriter();
    try {
      change?.apply();
      try {
        return await this.runReindex(onProgress);
      } catch (error) {
        change?.undo();
        throw error;
      }
    } finally {
      await release();
    }
  }

  /**
   * Publishes the latest committed generation if another process (a CLI `index`, another bot) committed a newer
   * one than the published: its documents become answerable, and the next reindex builds on it rather than on a
   * generation that process has deleted. Not while this process reindexes: it holds the lock, so nobody else
   * can commit, and it publishes its own generation when done.
   */
  private adoptNewerGeneration(): Promise<void> {
    // One adoption at a time: the watcher may fire again while a large generation is still being read.
    this.adopting ??= this.loadNewerGeneration().finally(() => {
      this.adopting = null;
    });
    return this.adopting;
  }

  private async loadNewerGeneration(): Promise<void> {
    let committed: number | null = null;
    try {
      committed = await this.store.latestGeneration();
      if (committed === null || committed <= this.publishedGeneration()) return;
      // A store that cannot be read (a database down) throws: what is published stays, and the catch says why.
      const result = await this.readPublishable(true);
      // A reindex of this process may have published a newer generation meanwhile.
      if (result.status === 'ok' && result.published.manifest.generation <= this.publishedGeneration()) return;
      this.publishRead(result); // logs an unusable generation itself
      if (result.status === 'ok') this.logger.info(`Loaded index generation ${result.published.manifest.generation}, committed by another process`);
    } catch (error) {
      this.logger.error(`Could not load index generation ${committed ?? '(unknown)'} committed by another process: ${describeError(error)}`);
    }
  }

  private publishedGeneration(): number {
    return this.current?.manifest.generation ?? 0;
  }

  /** The whole latest generation; a store that cannot be read makes it corrupt, with why. */
  private async readLatest(): Promise<ReadResult> {
    try {
      return await this.store.readLatest(this.hnsw);
    } catch (error) {
      return { status: 'corrupt', reason: describeError(error) };
    }
  }

  /**
   * The latest generation as answers will read it: whole, or its manifest with the knowledge bases held now (the
   * shared ones at first) loaded. `throwing`: a store that cannot be read throws instead of making it corrupt.
   */
  private async readPublishable(throwing = false): Promise<PublishableRead> {
    const reads = this.store.scopedReads;
    if (!reads) {
      const result = throwing ? await this.store.readLatest(this.hnsw) : await this.readLatest();
      return result.status === 'ok' ? { status: 'ok', published: new WholeGeneration(result.contents) } : result;
    }
    let manifest: Manifest | null;
    try {
      manifest = await reads.latestManifest();
    } catch (error) {
      if (throwing) throw error;
      return { status: 'corrupt', reason: describeError(error) };
    }
    if (!manifest) return { status: 'missing' };
    return { status: 'ok', published: await ScopesOnDemand.open(manifest, reads, this.heldScopes(), this.scopeLoading) };
  }

  /** The knowledge bases held in memory, which a new generation loads again: the shared ones at least. */
  private heldScopes(): string[] {
    return [SHARED_SCOPE, ...(this.current?.held().scopes ?? [])];
  }

  private publishRead(result: PublishableRead): void {
    if (result.status === 'missing') {
      this.needsRebuild = 'no index yet';
      return;
    }
    if (result.status === 'corrupt') {
      this.logger.error(`Index unusable, it will be rebuilt from the documents: ${result.reason}`);
      this.needsRebuild = result.reason;
      return;
    }
    this.current = result.published;
    const mismatch = this.incompatibility(result.published.manifest);
    if (mismatch) this.logger.warn(`Index needs a full rebuild: ${mismatch}`);
    this.needsRebuild = mismatch;
  }

  /** Why the index cannot be updated incrementally with the current model and settings, if it can't. */
  private incompatibility(manifest: Manifest): string | null {
    const { model, hnsw } = manifest;
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
    await this.adoptNewerGeneration(); // under the lock: what is committed now stays until this reindex commits
    const { current, ownVectors } = await this.wholeGeneration();
    const reusable = current && !this.incompatibility(current.manifest) && this.needsRebuild === null ? current : null;
    if (current && !reusable) this.logger.info(`Full rebuild: ${this.needsRebuild ?? this.incompatibility(current.manifest)}`);

    const { documents, skipped } = await this.readDocuments(onProgress);
    const built = await buildIndex({
      previous: reusable,
      previousVectors: reusable ? (ownVectors ? reusable.vectors : await this.store.readVectorsCopy(reusable.manifest, this.hnsw)) : null,
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
      manifest = await this.store.writeGeneration(
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
    const reads = this.store.scopedReads;
    this.current = reads
      ? ScopesOnDemand.fromParagraphs(manifest, reads, built.paragraphs, this.heldScopes(), this.scopeLoading)
      : new WholeGeneration({ manifest, paragraphs: built.paragraphs, vectors: built.vectors });
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

  /**
   * The generation a reindex builds on, whole: the published one when this process holds it, else read from the
   * store for this reindex only (under the lock; its vectors are then this reindex's own to change). A generation
   * the store cannot read whole is rebuilt.
   */
  private async wholeGeneration(): Promise<{ current: IndexContents | null; ownVectors: boolean }> {
    if (!this.current) return { current: null, ownVectors: false };
    if (this.current.contents) return { current: this.current.contents, ownVectors: false };
    const result = await this.store.readLatest(this.hnsw);
    if (result.status === 'ok') return { current: result.contents, ownVectors: true };
    if (result.status === 'corrupt') this.needsRebuild = result.reason;
    return { current: null, ownVectors: false };
  }
}

type PublishableRead = Exclude<ReadResult, { status: 'ok' }> | { readonly status: 'ok'; readonly published: Published };
