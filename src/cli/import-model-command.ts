import path from 'node:path';
import { parseOptions } from './options.ts';
import type { CliIo } from './output.ts';
import type { AppConfig } from '../config.ts';
import { createError } from '../errors.ts';
import { formatBytes } from '../format-bytes.ts';
import type { Logger } from '../logger.ts';
import { importModel, modelImportTarget } from '../embed/import-model.ts';

/**
 * `docqa import-model <folder> [--id NAME]`: converts a sentence-transformers BERT checkpoint into
 * `MODELS_DIR/<id>/` (default id `local/<folder name>`) and prints the EMBEDDING_MODEL value that loads it.
 */
export async function importModelCommand(config: AppConfig, logger: Logger, io: CliIo, args: readonly string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, { id: { type: 'string' } }, true);
  if (positionals.length !== 1) throw createError('BAD_USAGE', 'import-model takes one checkpoint folder: docqa import-model ./all-MiniLM-L6-v2 [--id local/all-MiniLM-L6-v2]');
  const source = positionals[0]!;
  const id = values.id ?? `local/${path.basename(path.resolve(source))}`;
  const target = modelImportTarget(config.engine.modelsDir, id);
  const started = performance.now();
  logger.info(`Importing ${source} into ${target}`);
  const model = importModel(source, target);
  const seconds = (performance.now() - started) / 1000;
  io.stdout(
    `Imported ${id}: BERT ${model.shape.layers} layers × ${model.shape.hiddenSize}, ${model.pooling.pooling} pooling` +
      `${model.pooling.normalize ? ', normalised' : ''}, ${model.maxTokens} tokens; onnx/model.onnx ${formatBytes(model.fp32Bytes)}, ` +
      `onnx/model_quantized.onnx ${formatBytes(model.int8Bytes)}, in ${seconds.toFixed(1)} s.\n` +
      `Use it with EMBEDDING_MODEL=${id} (and MODELS_DIR=${config.engine.modelsDir}).\n`,
  );
  return 0;
}
