import type { AppConfig } from '../config.ts';
import { embedderOptionsFrom } from '../configured-embedder.ts';
import { loadTransformersEmbedder } from '../embed/transformers-embedder.ts';
import type { Logger } from '../logger.ts';
import { parseOptions } from './options.ts';
import type { CliIo } from './output.ts';

/** `docqa download-model`: fetches EMBEDDING_MODEL into MODELS_DIR ahead of time (for offline hosts). */
export async function downloadModelCommand(config: AppConfig, logger: Logger, io: CliIo, args: readonly string[]): Promise<number> {
  parseOptions(args, {});
  const { engine } = config;
  logger.info(`Fetching ${engine.embeddingModel} into ${engine.modelsDir}`);
  const embedder = await loadTransformersEmbedder(embedderOptionsFrom(engine, { allowDownload: true }));
  io.stdout(`Model ready: ${embedder.modelId}, ${embedder.dimension} dimensions, in ${engine.modelsDir}\n`);
  return 0;
}
