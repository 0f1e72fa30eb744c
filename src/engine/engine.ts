import type { EngineConfig } from '../config.ts';
import type { Embedder, EmbedderLoader } from '../embed/embedder.ts';
import { isAppError } from '../errors.ts';
import { silentLogger, type Logger } from '../logger.ts';
import { normalizeQuestion } from '../search/question.ts';
import type { SearchMode } from '../search/search-mode.ts';
import type { IndexStore, StoreHealth } from '../store/index-store.ts';
import { IndexLifecycle, type ReindexCheckpoint } from './index-lifecycle.ts';
import { DocumentLinks } from './document-links.ts';
import { documentFile } from './document-sources.ts';
import { KnowledgeBases } from './knowledge-bases.ts';
import { Searcher } from './searcher.ts';
import type { Answer, AskOptions, DocumentInfo, EngineStats, ReindexProgress, ReindexReport } from './types.ts';
import type { SourceInfo, SourceKind } from '../sources/source-record.ts';
import type { SourceFilter } from '../sources/sources.ts';
import type { SourceSyncReport } from '../sources/sync-source.ts';

export type { ReindexCheckpoint } from './index-lifecycle.ts';

export interface EngineDependencies {
  readonly logger?: Logger;
  /** Loads the embedding model (the entry point picks the implementation); not called in keyword mode. */
  readonly loadEmbedder: EmbedderLoader;
  /** Where index generations are kept (the entry point picks the backend). */
  readonly store: IndexStore;
  /** Called at the moments a reindex could be interrupted; fault-injection tests crash or throw there. */
  readonly checkpoint?: (point: ReindexCheckpoint) => void;
}

/**
 * The question-answering engine: documents → paragraphs → vectors + keywords → ranked passages. It knows nothing
 * of Discord; the CLI and the bot drive it. It puts three rooms together: the {@link Searcher} answers from the
 * published index, the {@link IndexLifecycle} loads, rebuilds and publishes it, and the {@link KnowledgeBases}
 * hold the shared and per-server documents.
 */
export class Engine {
  private readonly searcher: Searcher;
  private readonly knowledgeBases: KnowledgeBases;
  private readonly links: DocumentLinks;

  private constructor(
    private readonly config: EngineConfig,
    private readonly embedder: Embedder | null,
    private readonly lifecycle: IndexLifecycle,
  ) {
    this.searcher = new Searcher(embedder, {
      mode: config.searchMode,
      minScore: config.minScore,
      gapWeight: config.minScoreGapWeight,
      coverageWeight: config.minScoreCoverageWeight,
      characterWeight: config.minScoreCharacterWeight,
      denseWeight: config.hybridDenseWeight,
      denseWeightCjk: config.hybridDenseWeightCjk,
    });
    this.links = new DocumentLinks(
      config.folderLinks,
      (scope, documentPath) => documentFile(config, scope, documentPath),
      () => this.knowledgeBases.publishedSourceFolders(),
    );
    this.knowledgeBases = new KnowledgeBases(config, lifecycle, this.links);
  }

  /**
   * Loads the model (unless keyword mode is configured) and the latest index. A model that cannot be loaded
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
    const lifecycle = new IndexLifecycle(config, embedder, dependencies.store, logger, dependencies.checkpoint ?? (() => {}));
    await lifecycle.open();
    return new Engine(config, embedder, lifecycle);
  }

  /**
   * Stops watching for generations committed by other processes, lets a running reindex finish, and closes the
   * embedder (its worker processes), so the process can end by itself.
   */
  async close(): Promise<void> {
    await this.lifecycle.close();
    await this.embedder?.close();
  }

  /** The mode answers are given in: keyword when no model is loaded, whatever was configured. */
  get mode(): SearchMode {
    return this.searcher.mode;
  }

  /** Whether an index is loaded and current (nothing to build before answering). */
  get ready(): boolean {
    return this.lifecycle.ready;
  }

  /** Whether the index store answers: while a database is down, answers come from memory and reindexes fail. */
  storeHealth(): StoreHealth {
    return this.lifecycle.storeHealth();
  }

  /** Builds the index if there is none, or rebuilds it when it is corrupt or built with another model. */
  ensureIndex(onProgress?: (progress: ReindexProgress) => void): Promise<ReindexReport | null> {
    return this.lifecycle.ensureIndex(onProgress);
  }

  /** Answers a question from the published index. Throws a coded AppError for questions that cannot be searched. */
  async ask(rawQuestion: string, options: AskOptions = {}): Promise<Answer> {
    const question = normalizeQuestion(rawQuestion, this.config.maxQuestionChars);
    const published = this.lifecycle.published;
    if (!published) return { question, mode: this.mode, answered: false, passages: [], more: false };
    const offset = options.offset ?? 0;
    const scopes = new Set(['', ...(options.server ? [options.server] : [])]);
    const index = await published.searchable(scopes);
    const query = await this.searcher.query(question, index);
    const { mode: effectiveMode, selection } = await this.searcher.search(index, query, {
      k: options.k ?? this.config.topK,
      offset,
      scopes,
      ...(options.minScore !== undefined ? { minScore: options.minScore } : {}),
      ...(options.documents ? { documents: documentFilter(options.documents) } : {}),
    });
    // Answered by keywords after all (the store's vector search failed): highlighted as in keyword mode too.
    const highlights = await this.searcher.highlight(effectiveMode === 'keyword' ? { ...query, vector: null } : query, selection.passages);
    const passages = selection.passages.map(({ paragraph, score }, i) => ({
      document: paragraph.document,
      title: paragraph.title,
      section: paragraph.section,
      paragraphNumber: paragraph.ordinal,
      ...(paragraph.page !== undefined && { page: paragraph.page }),
      score: Math.round(score * 1000) / 1000,
      text: paragraph.text,
      start: paragraph.start,
      end: paragraph.end,
      highlights: highlights[i]!,
      ...this.links.linkOf(paragraph.scope, paragraph.document, paragraph, paragraph.anchor),
    }));
    const closest = selection.closest?.paragraph;
    return {
      question,
      mode: effectiveMode,
      answered: passages.length > 0,
      passages,
      more: selection.more,
      confidence: Math.round(selection.confidence * 1000) / 1000,
      ...(passages.length === 0 && offset === 0 && closest ? { closest: { title: closest.title, document: closest.document } } : {}),
    };
  }

  /**
   * Embeds questions as `ask` does (query prefix), for grouping similar ones; null when no model is loaded.
   * Plain arrays: they cross the engine process boundary as JSON.
   */
  async embedQuestions(texts: readonly string[]): Promise<number[][] | null> {
    if (!this.embedder || this.mode === 'keyword') return null;
    const vectors: number[][] = [];
    for (const text of texts) vectors.push(Array.from(await this.embedder.embedQuery(normalizeQuestion(text, this.config.maxQuestionChars))));
    return vectors;
  }

  /** See {@link IndexLifecycle.reindex}. */
  reindex(onProgress?: (progress: ReindexProgress) => void): Promise<ReindexReport> {
    return this.lifecycle.reindex(onProgress);
  }

  /** Resolves when no reindex is running in this process. */
  idle(): Promise<void> {
    return this.lifecycle.idle();
  }

  stats(): EngineStats {
    const published = this.lifecycle.published;
    const manifest = published?.manifest;
    const held = published?.held();
    return {
      mode: this.mode,
      model: this.embedder?.modelId ?? null,
      dimension: this.embedder?.dimension ?? null,
      documents: manifest ? Object.keys(manifest.documents).length : 0,
      paragraphs: manifest?.paragraphCount ?? 0,
      generation: manifest?.generation ?? 0,
      indexedAt: manifest?.createdAt ?? null,
      knowledgeBasesInMemory: held?.scopes.length ?? 0,
      paragraphsInMemory: held?.paragraphs ?? 0,
    };
  }

  /** See {@link KnowledgeBases.listDocuments}. */
  listDocuments(server?: string): DocumentInfo[] {
    return this.knowledgeBases.listDocuments(server);
  }

  /** See {@link KnowledgeBases.addDocument}. */
  addDocument(server: string, fileName: string, bytes: Uint8Array, onProgress?: (progress: ReindexProgress) => void): Promise<{ path: string; report: ReindexReport }> {
    return this.knowledgeBases.addDocument(server, fileName, bytes, onProgress);
  }

  /** See {@link KnowledgeBases.removeDocument}. */
  removeDocument(server: string, documentPath: string): Promise<ReindexReport> {
    return this.knowledgeBases.removeDocument(server, documentPath);
  }

  /** See {@link KnowledgeBases.listSources}. */
  listSources(server?: string): SourceInfo[] {
    return this.knowledgeBases.listSources(server);
  }

  /** See {@link KnowledgeBases.addSource}. */
  addSource(server: string, url: string, kind?: SourceKind, onProgress?: (progress: ReindexProgress) => void): Promise<{ source: SourceInfo; sync: SourceSyncReport; report: ReindexReport }> {
    return this.knowledgeBases.addSource(server, url, kind, onProgress);
  }

  /** See {@link KnowledgeBases.syncSources}. */
  syncSources(filter: SourceFilter = {}, onProgress?: (progress: ReindexProgress) => void): Promise<{ sources: SourceSyncReport[]; report: ReindexReport }> {
    return this.knowledgeBases.syncSources(filter, onProgress);
  }

  /** See {@link KnowledgeBases.removeSource}. */
  removeSource(id: string, server?: string): Promise<ReindexReport> {
    return this.knowledgeBases.removeSource(id, server);
  }
}

/** Whether a document is one of `allowed`: the same path, or under a folder given with a trailing `/`. */
function documentFilter(allowed: readonly string[]): (document: string) => boolean {
  const paths = new Set(allowed);
  const folders = allowed.filter((entry) => entry.endsWith('/'));
  return (document) => paths.has(document) || folders.some((folder) => document.startsWith(folder));
}
