import type { EngineConfig } from './config.ts';
import { configuredEmbedderLoader } from './configured-embedder.ts';
import type { EngineDependencies } from './engine/engine.ts';
import { FileIndexStore } from './store/file-store/file-index-store.ts';
import type { IndexStore } from './store/index-store.ts';
import { PostgresIndexStore } from './store/postgres-store/postgres-index-store.ts';

/** The implementations the entry points (CLI, engine process) give the engine: the configured model and store. */
export function configuredEngineDependencies(config: EngineConfig): Pick<EngineDependencies, 'loadEmbedder' | 'store'> {
  return { loadEmbedder: configuredEmbedderLoader(config), store: configuredStore(config) };
}

/** Files in INDEX_DIR, or PostgreSQL with pgvector (STORE=postgres). */
export function configuredStore(config: EngineConfig): IndexStore {
  const { store } = config;
  if (store.kind === 'file') return new FileIndexStore(config.indexDir);
  return new PostgresIndexStore({ url: store.url, poolSize: store.poolSize, statementTimeoutMs: store.statementTimeoutMs, search: store.search, vectorIndex: store.vectorIndex });
}
