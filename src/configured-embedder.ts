import type { EngineConfig } from './config.ts';
import type { EmbedderLoader } from './embed/embedder.ts';
import { loadTransformersEmbedder, type TransformersEmbedderOptions } from './embed/transformers-embedder.ts';

/** The embedder options the configuration asks for (`overrides` for commands that differ, e.g. download-model). */
export function embedderOptionsFrom(config: EngineConfig, overrides: Partial<TransformersEmbedderOptions> = {}): TransformersEmbedderOptions {
  return {
    model: config.embeddingModel,
    modelsDir: config.modelsDir,
    quantized: config.embeddingQuantized,
    allowDownload: config.allowModelDownload,
    maxTokens: config.embeddingMaxTokens,
    batchSize: config.embeddingBatchSize,
    threads: config.embeddingThreads,
    workers: config.embeddingWorkers,
    queryPrefix: config.queryPrefix,
    passagePrefix: config.passagePrefix,
    ...overrides,
  };
}

/**
 * The embedder the configuration asks for, as the loader the engine is given: the entry points (CLI, the engine
 * process) choose the implementation, the engine only calls it.
 */
export function configuredEmbedderLoader(config: EngineConfig, overrides: Partial<TransformersEmbedderOptions> = {}): EmbedderLoader {
  return () => loadTransformersEmbedder(embedderOptionsFrom(config, overrides));
}
