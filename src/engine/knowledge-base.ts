import type { ReindexProgress, ReindexReport } from './types.ts';
import type { Engine } from './engine.ts';
import type { Answer, AskOptions, DocumentInfo, EngineStats } from './types.ts';
import type { SourceInfo, SourceKind } from '../sources/source-record.ts';
import type { SourceFilter } from '../sources/sources.ts';
import type { SourceSyncReport } from '../sources/sync-source.ts';
import type { StoreHealth } from '../store/index-store.ts';

/**
 * The engine operations the bot's commands call, every one asynchronous, so that the engine may run in another
 * process (see EngineHost) and the bot's event loop only waits, never computes.
 */
export interface KnowledgeBase {
  ask(question: string, options?: AskOptions): Promise<Answer>;
  reindex(onProgress?: (progress: ReindexProgress) => void): Promise<ReindexReport>;
  listDocuments(server?: string): Promise<DocumentInfo[]>;
  addDocument(server: string, fileName: string, bytes: Uint8Array, onProgress?: (progress: ReindexProgress) => void): Promise<{ path: string; report: ReindexReport }>;
  removeDocument(server: string, documentPath: string): Promise<ReindexReport>;
  stats(): Promise<EngineStats>;
  /** Question vectors for grouping similar questions; null when no model is loaded (keyword mode). */
  embedQuestions(texts: readonly string[]): Promise<number[][] | null>;
  /** Sources visible to a server (shared and its own); all of them without a server. */
  listSources(server?: string): Promise<SourceInfo[]>;
  /** Adds a web page, site or git repository to a knowledge base ("" = shared) and indexes it. */
  addSource(server: string, url: string, kind?: SourceKind, onProgress?: (progress: ReindexProgress) => void): Promise<{ source: SourceInfo; sync: SourceSyncReport; report: ReindexReport }>;
  /** Re-syncs sources (one, a server's own, or all) and indexes what changed. */
  syncSources(filter?: SourceFilter, onProgress?: (progress: ReindexProgress) => void): Promise<{ sources: SourceSyncReport[]; report: ReindexReport }>;
  /** Removes a source (with `server`: only one that server added) and its paragraphs. */
  removeSource(id: string, server?: string): Promise<ReindexReport>;
}

/** A knowledge base the bot owns: it can build a missing index at start, wait for a running reindex, and close. */
export interface KnowledgeService extends KnowledgeBase {
  ensureIndex(): Promise<ReindexReport | null>;
  /** Resolves when no reindex is running. */
  idle(): Promise<void>;
  /** Whether the index store answers (a database may be down while answers keep coming from memory). */
  storeHealth(): Promise<StoreHealth>;
  /** Lets a running reindex finish, then releases the engine. */
  close(): Promise<void>;
}

/** An engine in this process as a {@link KnowledgeService} (tests that share one engine; no isolation). */
export function inProcessKnowledge(engine: Engine): KnowledgeService {
  return {
    ask: (question, options) => engine.ask(question, options),
    reindex: (onProgress) => engine.reindex(onProgress),
    listDocuments: async (server) => engine.listDocuments(server),
    addDocument: (server, fileName, bytes, onProgress) => engine.addDocument(server, fileName, bytes, onProgress),
    removeDocument: (server, documentPath) => engine.removeDocument(server, documentPath),
    stats: async () => engine.stats(),
    embedQuestions: (texts) => engine.embedQuestions(texts),
    listSources: async (server) => engine.listSources(server),
    addSource: (server, url, kind, onProgress) => engine.addSource(server, url, kind, onProgress),
    syncSources: (filter, onProgress) => engine.syncSources(filter, onProgress),
    removeSource: (id, server) => engine.removeSource(id, server),
    ensureIndex: () => engine.ensureIndex(),
    idle: () => engine.idle(),
    storeHealth: async () => engine.storeHealth(),
    close: () => engine.idle(),
  };
}
