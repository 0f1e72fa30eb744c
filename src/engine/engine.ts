import fs from 'node:fs';
import path from 'node:path';
import type { EngineConfig } from '../config.ts';
import type { SearchMode } from '../search/search-mode.ts';
import type { Embedder, EmbedderLoader } from '../embed/embedder.ts';
import { createError, describeError, isAppError } from '../errors.ts';
import { writeFileAtomic } from '../index/atomic-file.ts';
import type { GenerationWatcher } from '../index/generation-watcher.ts';
import type { IndexContents, ReadResult, WriteCheckpoint } from '../index/index-storage.ts';
import type { HnswParams } from '../index/vector-index.ts';
import { silentLogger, type Logger } from '../logger.ts';
import { normalizeQuestion } from '../search/question.ts';
import type { IndexStore, StoreHealth } from '../store/index-store.ts';
import { buildKeywordIndex } from '../search/keyword-index.ts';
import type { SearchableIndex } from '../search/rank-passages.ts';
import { buildIndex } from './build-index.ts';
import { removalChange, uploadChange, type DocumentChange } from './document-changes.ts';
import { listDocumentSources, readAllSources, serverDocsDir } from './document-sources.ts';
import { splitDocuments } from './split-documents.ts';
import { safeDocumentName } from './safe-file-name.ts';
import { Searcher } from './searcher.ts';
import { reindexProgress, type ReindexProgress, type ReindexReport } from './types.ts';

/** One quoted passage, with where it came from. */
export interface PassageView {
  readonly document: string;
  readonly title: string;
  readonly section: string;
  /** The paragraph's number in its document, from 1 (`paragraph` in `docqa ask --json` and the feedback log). */
  readonly paragraphNumber: number;
  readonly score: number;
  readonly text: string;
}

export interface Answer {
  readonly question: string;
  readonly mode: SearchMode;
  /** False means "no confident match": nothing scored above the threshold. */
  readonly answered: boolean;
  readonly passages: readonly PassageView[];
  /** More confident passages exist after this page. */
  readonly more: boolean;
  /** When nothing qualified: the document of the best (unconfident) passage, if any. */
  readonly closest?: { readonly title: string; readonly document: string };
}

export interface AskOptions {
  readonly k?: number;
  /** Skip this many confident passages (the "More" button). */
  readonly offset?: number;
  /** The server asking: its own documents are searched besides the shared ones. */
  readonly server?: string;
}

export interface DocumentInfo {
  readonly path: string;
  readonly title: string;
  readonly paragraphs: number;
  readonly indexedAt: string;
  /** "" for shared documents, else the server id. */
  readonly scope: string;
}

export interface EngineStats {
  readonly mode: SearchMode;
  readonly model: string | null;
  readonly dimension: number | null;
  readonly documents: number;
  readonly paragraphs: number;
  readonly generation: number;
  readonly indexedAt: string | null;
}

export interface EngineDependencies {
  readonly logger?: Logger;
  /** Loads the embedding model (the entry point picks the implementation); not called in keyword mode. */
  readonly loadEmbedder: EmbedderLoader;
  /** Where index generations are kept (the entry point picks the backend). */
  readonly store: IndexStore;
  /** Called at the moments a reindex could be interrupted; fault-injection tests crash or throw there. */
  readonly checkpoint?: (point: ReindexCheckpoint) => void;
}

export type ReindexCheckpoint = 'embedding' | WriteCheckpoint;

interface Published {
  readonly contents: IndexContents;
  readonly searchable: SearchableIndex;
}

/**
 * The question-answering engine: documents → paragraphs → vectors + keywords → ranked passages. It knows nothing
 * of Discord; the CLI and the bot drive it. Questions are answered from an immutable published index while a
 * reindex builds the next one beside it, which is swapped in when written.
 */
export class Engine {
  private published: Published | null = null;
  private running: Promise<ReindexReport> | null = null;
  private adopting: Promise<void> | null = null;
  private needsRebuild: string | null = null;
  private watcher: GenerationWatcher | null = null;
  private readonly hnsw: HnswParams;
  private readonly searcher: Searcher;

  private constructor(
    private readonly config: EngineConfig,
    private readonly embedder: Embedder | null,
    private readonly store: IndexStore,
    private readonly logger: Logger,
    private readonly checkpoint: (point: ReindexCheckpoint) => void,
  ) {
    this.hnsw = { m: config.hnswM, efConstruction: config.hnswEfConstruction, efSearch: config.hnswEfSearch };
    this.searcher = new Searcher(embedder, {
      mode: config.searchMode,
      minScore: config.minScore,
      gapWeight: config.minScoreGapWeight,
      denseWeight: config.hybridDenseWeight,
      denseWeightCjk: config.hybridDenseWeightCjk,
    });
  }

  /**
   * Loads the model (unless keyword mode is configured) and the index on disk. A model that cannot be loaded
   * leaves the engine answering from keywords alone, with a warning; an index that is corrupt or was built with
   * another model is marked for a rebuild, which {@link ensureIndex} or {@link reindex} performs.
   */
  static async open(config: EngineConfig, dependencies: EngineDependencies): Promise<Engine> {
    const logger = dependencies.logger ?? silentLogger;
    let embedder: Embedder | null = null;
    if (config.searchMode !== 'keyword') {
      try {
        embedder = await dependencies.loadEmbedder();
      } catch (error) {
        if (!isAppError(error, 'MODEL_UNAVAILABLE')) throw error;
        logger.warn(`${error.message}`);
        logger.warn('KEYWORD-ONLY MODE: answering from BM25 alone until the embedding model can be loaded.');
      }
    }
    const engine = new Engine(config, embedder, dependencies.store, logger, dependencies.checkpoint ?? (() => {}));
    engine.publishRead(await engine.readFromStore());
    if (config.indexWatchMs > 0) {
      engine.watcher = engine.store.watch(config.indexWatchMs, () => {
        if (!engine.running) void engine.adoptNewerGeneration();
      });
    }
    return engine;
  }

  /**
   * Stops watching the index folder for generations committed by other processes, lets a running reindex finish,
   * and closes the embedder (its worker processes), so the process can end by itself.
   */
  async close(): Promise<void> {
    this.watcher?.close();
    this.watcher = null;
    await this.idle();
    await this.adopting;
    await this.store.close();
    await this.embedder?.close();
  }

  /** The mode answers are given in: keyword when no model is loaded, whatever was configured. */
  get mode(): SearchMode {
    return this.searcher.mode;
  }

  /** Whether an index is loaded and current (nothing to build before answering). */
  get ready(): boolean {
    return this.published !== null && this.needsRebuild === null;
  }

  /** Builds the index if there is none, or rebuilds it when it is corrupt or built with another model. */
  async ensureIndex(onProgress?: (progress: ReindexProgress) => void): Promise<ReindexReport | null> {
    return this.ready ? null : this.reindex(onProgress);
  }

  /** Answers a question from the published index. Throws a coded AppError for questions that cannot be searched. */
  async ask(rawQuestion: string, options: AskOptions = {}): Promise<Answer> {
    const question = normalizeQuestion(rawQuestion, this.config.maxQuestionChars);
    const published = this.published;
    if (!published) return { question, mode: this.mode, answered: false, passages: [], more: false };
    const k = options.k ?? this.config.topK;
    const offset = options.offset ?? 0;
    const query = await this.searcher.query(question, published.searchable);
    const { mode: effectiveMode, selection } = this.searcher.search(published.searchable, query, {
      k,
      offset,
      scopes: new Set(['', ...(options.server ? [options.server] : [])]),
    });
    const passages = selection.passages.map(({ paragraph, score }) => ({
      document: paragraph.document,
      title: paragraph.title,
      section: paragraph.section,
      paragraphNumber: paragraph.ordinal,
      score: Math.round(score * 1000) / 1000,
      text: paragraph.text,
    }));
    const closest = selection.closest?.paragraph;
    return {
      question,
      mode: effectiveMode,
      answered: passages.length > 0,
      passages,
      more: selection.more,
      ...(passages.length === 0 && offset === 0 && closest ? { closest: { title: closest.title, document: closest.document } } : {}),
    };
  }

  /**
   * Brings the index up to date with the documents: only new or changed paragraphs are embedded, removed ones
   * are dropped. One reindex at a time: a second call (from this process or another) fails with REINDEX_RUNNING.
   */
  reindex(onProgress?: (progress: ReindexProgress) => void): Promise<ReindexReport> {
    return this.reindexWith(null, onProgress);
  }

  /**
   * Takes the lock, then applies `change` to the documents and reindexes. The change is made only once the lock
   * is held, and undone if the reindex fails, so a refused or failed reindex never leaves a document on disk that
   * the index does not show (or the reverse).
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

  /** Whether the index store answers (a database may be down: answers keep coming from memory meanwhile). */
  storeHealth(): StoreHealth {
    return this.store.health();
  }

  /** {@link reindexWith} once no reindex of this process runs; a refusal by the lock names what was not done. */
  private async changeDocuments(change: DocumentChange, refused: string, onProgress?: (progress: ReindexProgress) => void): Promise<ReindexReport> {
    while (this.running) await this.idle();
    return this.reindexWith(change, onProgress).catch((error) => {
      if (!isAppError(error, 'REINDEX_RUNNING')) throw error;
      throw createError('REINDEX_RUNNING', refused);
    });
  }

  /** Resolves when no reindex is running in this process. */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  stats(): EngineStats {
    const manifest = this.published?.contents.manifest;
    return {
      mode: this.mode,
      model: this.embedder?.modelId ?? null,
      dimension: this.embedder?.dimension ?? null,
      documents: manifest ? Object.keys(manifest.documents).length : 0,
      paragraphs: manifest?.paragraphCount ?? 0,
      generation: manifest?.generation ?? 0,
      indexedAt: manifest?.createdAt ?? null,
    };
  }

  /** Indexed documents visible to a server (shared ones, plus its own). */
  listDocuments(server?: string): DocumentInfo[] {
    const documents = Object.values(this.published?.contents.manifest.documents ?? {});
    return documents
      .filter((document) => document.scope === '' || document.scope === server)
      .map(({ scope, path: documentPath, title, paragraphs, indexedAt }) => ({ scope, path: documentPath, title, paragraphs, indexedAt }))
      .sort((a, b) => a.scope.localeCompare(b.scope) || a.path.localeCompare(b.path));
  }

  /**
   * Stores an uploaded document in the server's own folder (under a safe name) and indexes it. If another reindex
   * is running in this process, waits for it first; if another process holds the lock, nothing is stored.
   */
  async addDocument(server: string, fileName: string, bytes: Uint8Array, onProgress?: (progress: ReindexProgress) => void): Promise<{ path: string; report: ReindexReport }> {
    const name = safeDocumentName(fileName);
    if (bytes.byteLength > this.config.maxDocumentBytes) {
      throw createError('FILE_TOO_LARGE', this.config.maxDocumentBytes, { name, bytes: bytes.byteLength });
    }
    const file = path.join(serverDocsDir(this.config.dataDir, server), name);
    const change = uploadChange(file, bytes);
    const report = await this.changeDocuments(change, `"${name}" was not added`, onProgress);
    const rejected = report.skipped.find((skip) => skip.path === file);
    if (!rejected) return { path: name, report };
    const kept = change.previous();
    if (!kept) {
      fs.rmSync(file, { force: true });
      throw createError('DOCUMENT_REJECTED', name, rejected.reason, false);
    }
    // The refused version replaced one that was indexed: put that back, and index it again.
    await this.changeDocuments({ apply: () => writeFileAtomic(file, kept), undo: () => {} }, `"${name}" was not added`);
    throw createError('DOCUMENT_REJECTED', name, rejected.reason, true);
  }

  /**
   * Deletes one of a server's own documents and drops it from the index. Shared documents cannot be removed. If
   * another process holds the lock, nothing is deleted. A listed document whose file is gone, or a file in the
   * server's folder that is not listed, can be removed too: "not found" only when neither exists.
   */
  async removeDocument(server: string, documentPath: string): Promise<ReindexReport> {
    const folder = serverDocsDir(this.config.dataDir, server);
    const file = path.resolve(folder, documentPath);
    const owned = this.listDocuments(server).some((document) => document.scope === server && document.path === documentPath);
    if (!file.startsWith(folder + path.sep) || (!owned && !fs.existsSync(file))) {
      throw createError('DOCUMENT_NOT_FOUND', documentPath);
    }
    return this.changeDocuments(removalChange(file), `"${documentPath}" was not removed`);
  }

  /**
   * Publishes the generation on disk if another process (a CLI `index`, another bot) committed a newer one than
   * the published: its documents become answerable, and the next reindex builds on it rather than on a
   * generation whose folder that process has deleted. Not while this engine reindexes: it holds the lock, so
   * nobody else can commit, and it publishes its own generation when done.
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
      const result = await this.store.readLatest(this.hnsw);
      // A reindex of this process may have published a newer generation meanwhile.
      if (result.status === 'ok' && result.contents.manifest.generation <= this.publishedGeneration()) return;
      this.publishRead(result); // logs an unusable generation itself
      if (result.status === 'ok') this.logger.info(`Loaded index generation ${result.contents.manifest.generation}, committed by another process`);
    } catch (error) {
      this.logger.error(`Could not load index generation ${committed ?? '(unknown)'} committed by another process: ${describeError(error)}`);
    }
  }

  private publishedGeneration(): number {
    return this.published?.contents.manifest.generation ?? 0;
  }

  private async readFromStore(): Promise<ReadResult> {
    try {
      return await this.store.readLatest(this.hnsw);
    } catch (error) {
      return { status: 'corrupt', reason: describeError(error) };
    }
  }

  private publishRead(result: ReadResult): void {
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

  /** Why the index on disk cannot be updated incrementally with the current model and settings, if it can't. */
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
    await this.adoptNewerGeneration(); // under the lock: what is on disk now stays until this reindex commits
    const current = this.published?.contents ?? null;
    const reusable = current && !this.incompatibility(current) && this.needsRebuild === null ? current : null;
    if (current && !reusable) this.logger.info(`Full rebuild: ${this.needsRebuild ?? this.incompatibility(current)}`);

    const sources = listDocumentSources(this.config.docsDir, this.config.dataDir);
    const { documents: read, skipped } = await readAllSources(sources, this.config.maxDocumentBytes);
    onProgress?.(reindexProgress('reading', { documents: read.length }));
    const { split: documents, skipped: overBudget } = await splitDocuments(read, this.embedder, this.config.embeddingMaxTokens, {
      timeMs: this.config.parseTimeLimitMs,
      memoryMb: this.config.parseMemoryLimitMb,
    });
    const rootOf = (scope: string) => (scope === '' ? this.config.docsDir : serverDocsDir(this.config.dataDir, scope));
    skipped.push(...overBudget.map(({ document, reason }) => ({ path: path.join(rootOf(document.scope), document.path), reason })));
    for (const skip of skipped) this.logger.warn(`Skipped ${skip.path}: ${skip.reason}`);

    const built = await buildIndex({
      previous: reusable,
      previousVectors: reusable ? await this.store.readVectorsCopy(reusable.manifest, this.hnsw) : null,
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
    this.publish({ manifest, paragraphs: built.paragraphs, vectors: built.vectors });
    this.needsRebuild = null;
    const report: ReindexReport = {
      ...built.counts,
      skipped,
      rebuilt: reusable === null,
      seconds: (performance.now() - started) / 1000,
    };
    onProgress?.(reindexProgress('done', counts));
    return report;
  }

  private publish(contents: IndexContents): void {
    const keywords = buildKeywordIndex(contents.paragraphs);
    const paragraphs = new Map(contents.paragraphs.map((paragraph) => [paragraph.label, paragraph]));
    const scopes = new Set(contents.paragraphs.map((paragraph) => paragraph.scope));
    this.published = { contents, searchable: { paragraphs, vectors: contents.vectors, keywords, scopes } };
  }
}
