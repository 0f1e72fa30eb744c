import type { EngineConfig } from './config.ts';
import { configuredEmbedderLoader } from './configured-embedder.ts';
import type { EngineDependencies } from './engine/engine.ts';
import { FileIndexStore } from './store/file-store/file-index-store.ts';

/** The implementations the entry points (CLI, engine process) give the engine: the configured model, files on disk. */
export function configuredEngineDependencies(config: EngineConfig): Pick<EngineDependencies, 'loadEmbedder' | 'store'> {
  return { loadEmbedder: configuredEmbedderLoader(config), store: new FileIndexStore(config.indexDir) };
}
