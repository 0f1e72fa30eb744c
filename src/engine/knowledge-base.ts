import type { ReindexProgress, ReindexReport } from './types.ts';
import type { Engine } from './engine.ts';
import type { Answer, AskOptions, DocumentInfo, EngineStats } from './types.ts';

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
}

/** A knowledge base the bot owns: it can build a missing index at start, wait for a running reindex, and close. */
export interface KnowledgeService extends KnowledgeBase {
  ensureIndex(): Promise<ReindexReport | null>;
  /** Resolves when no reindex is running. */
  idle(): Promise<void>;
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
    ensureIndex: () => engine.ensureIndex(),
    idle: () => engine.idle(),
    close: () => engine.idle(),
  };
}
