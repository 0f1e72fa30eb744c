import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createError } from '../errors.ts';
import { bertWeightNames, buildBertOnnx, describeInt8Scheme, IMPORT_INT8, type BertShape, type Int8Scheme } from './onnx-bert-graph.ts';
import { onnxModelFile } from './model-location.ts';
import { MODULES_FILE, POOLING_FILE, poolingFromConfig, type PoolingRecord } from './pooling.ts';
import { readSafetensors } from './safetensors.ts';

/** What a sentence-transformers checkpoint folder must hold to be imported. */
export const CHECKPOINT_FILES = ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json', POOLING_FILE, MODULES_FILE] as const;
/** Copied when present: they do not change the vectors but belong to a faithful copy. */
const OPTIONAL_FILES = ['special_tokens_map.json', 'vocab.txt', 'sentence_bert_config.json', 'README.md'];
/** Written beside the model: where it came from and how it was converted. */
export const IMPORT_RECORD_FILE = 'import-record.json';

/** What {@link importModel} wrote. */
export interface ImportedModel {
  readonly folder: string;
  readonly pooling: PoolingRecord;
  /** The truncation length written to tokenizer_config.json (sentence-transformers' max_seq_length). */
  readonly maxTokens: number;
  readonly shape: BertShape;
  readonly fp32Bytes: number;
  readonly int8Bytes: number;
}

/**
 * Converts a sentence-transformers BERT checkpoint into the folder the embedder loads (`target`, normally
 * `<MODELS_DIR>/<id>/`, see {@link modelImportTarget}):
 * `onnx/model.onnx` (fp32), `onnx/model_quantized.onnx` (int8 dynamic: `int8Scheme`, by default transformers.js's
 * scheme with embedding tables per row), the tokenizer
 * files, the pooling files, and `import-record.json`. Written to a temporary folder beside the target and renamed
 * into place, so a failed import never leaves half a model where the bot looks.
 */
export function importModel(source: string, target: string, int8Scheme: Int8Scheme = IMPORT_INT8): ImportedModel {
  const missing = CHECKPOINT_FILES.filter((file) => !fs.existsSync(path.join(source, file)));
  if (missing.length > 0) throw createError('MODEL_IMPORT_FAILED', `${source} is not a sentence-transformers checkpoint: missing ${missing.join(', ')}`);
  const read = (file: string) => JSON.parse(fs.readFileSync(path.join(source, file), 'utf8'));
  const config = read('config.json');
  const shape = bertShapeFrom(config, path.join(source, 'config.json'));
  const pooling = poolingRecordFrom(read(MODULES_FILE), read(POOLING_FILE), source);
  const weightsFile = path.join(source, 'model.safetensors');
  const weights = readSafetensors(weightsFile);
  const prefix = weightPrefix(weights.entries, weightsFile);
  for (const { name, dims } of bertWeightNames(shape)) {
    const entry = weights.entries.get(prefix + name);
    if (!entry) throw createError('MODEL_IMPORT_FAILED', `${weightsFile} has no tensor "${prefix + name}": not a BERT encoder of the shape config.json gives`);
    if (entry.shape.join() !== dims.join()) throw createError('MODEL_IMPORT_FAILED', `${weightsFile}: tensor "${prefix + name}" is [${entry.shape.join(', ')}], config.json implies [${dims.join(', ')}]`);
  }
  const weight = (name: string) => weights.tensor(prefix + name);

  const staging = `${target}.importing-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(path.join(staging, 'onnx'), { recursive: true });
  try {
    const producer = 'docqa import-model';
    const fp32 = buildBertOnnx(shape, weight, { quantized: false, producer });
    fs.writeFileSync(path.join(staging, onnxModelFile(false)), fp32);
    const int8 = buildBertOnnx(shape, weight, { quantized: true, producer, int8: int8Scheme });
    fs.writeFileSync(path.join(staging, onnxModelFile(true)), int8);
    const maxTokens = copyCheckpointFiles(source, staging);
    fs.writeFileSync(path.join(staging, IMPORT_RECORD_FILE), JSON.stringify({
      source: path.resolve(source),
      safetensorsSha256: createHash('sha256').update(fs.readFileSync(weightsFile)).digest('hex'),
      pooling: pooling.pooling,
      normalize: pooling.normalize,
      maxTokens,
      int8: describeInt8Scheme(int8Scheme),
      importedAt: new Date().toISOString(),
    }, null, 2) + '\n');
    replaceFolder(staging, target);
    return { folder: target, pooling, maxTokens, shape, fp32Bytes: fp32.length, int8Bytes: int8.length };
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/**
 * The folder an imported model goes to, `<modelsDir>/<id>`. The id is what EMBEDDING_MODEL names: one or two plain
 * segments (`all-minilm`, `local/all-minilm`), so it can never point outside the models folder.
 */
export function modelImportTarget(modelsDir: string, id: string): string {
  if (!/^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/.test(id) || id.split('/').some((part) => part.includes('..'))) {
    throw createError('BAD_USAGE', `--id "${id}" is not a model name: use letters, digits, "-", "_", "." and at most one "/" (e.g. local/all-MiniLM-L6-v2)`);
  }
  return path.join(modelsDir, id);
}

/** The encoder's shape, or MODEL_IMPORT_FAILED for anything but a BERT the graph builder reproduces exactly. */
export function bertShapeFrom(config: Record<string, unknown>, file: string): BertShape {
  const type = String(config.model_type ?? '(none)');
  if (type !== 'bert') throw createError('MODEL_IMPORT_FAILED', `${file}: model_type "${type}" is not supported; import-model converts BERT checkpoints (model_type "bert") only`);
  const act = String(config.hidden_act ?? 'gelu');
  if (act !== 'gelu') throw createError('MODEL_IMPORT_FAILED', `${file}: hidden_act "${act}" is not supported; only "gelu"`);
  const positions = String(config.position_embedding_type ?? 'absolute');
  if (positions !== 'absolute') throw createError('MODEL_IMPORT_FAILED', `${file}: position_embedding_type "${positions}" is not supported; only "absolute"`);
  const number = (key: string, fallback?: number) => {
    const value = config[key] ?? fallback;
    if (typeof value !== 'number' || !(value > 0)) throw createError('MODEL_IMPORT_FAILED', `${file}: "${key}" is missing or not a positive number`);
    return value;
  };
  const shape = {
    hiddenSize: number('hidden_size'),
    heads: number('num_attention_heads'),
    layers: number('num_hidden_layers'),
    intermediateSize: number('intermediate_size'),
    vocabSize: number('vocab_size'),
    maxPositions: number('max_position_embeddings'),
    typeVocabSize: number('type_vocab_size', 2),
    layerNormEps: number('layer_norm_eps', 1e-12),
  };
  if (shape.hiddenSize % shape.heads !== 0) throw createError('MODEL_IMPORT_FAILED', `${file}: hidden_size ${shape.hiddenSize} is not a multiple of num_attention_heads ${shape.heads}`);
  return shape;
}

/** Transformer → Pooling (→ Normalize) is what the embedder reproduces; a Dense layer or anything else is not. */
function poolingRecordFrom(modules: readonly { type?: string }[], poolingConfig: Record<string, unknown>, source: string): PoolingRecord {
  const kinds = modules.map((module) => String(module.type ?? '').split('.').at(-1));
  const supported = kinds[0] === 'Transformer' && kinds[1] === 'Pooling' && kinds.slice(2).every((kind) => kind === 'Normalize');
  if (!supported) throw createError('MODEL_IMPORT_FAILED', `${path.join(source, MODULES_FILE)} lists modules ${kinds.join(' → ')}; only Transformer → Pooling (→ Normalize) is supported`);
  return { pooling: poolingFromConfig(poolingConfig, path.join(source, POOLING_FILE)), normalize: kinds.includes('Normalize') };
}

/** BertModel checkpoints name tensors `embeddings...`; BertFor* ones `bert.embeddings...`. */
function weightPrefix(entries: ReadonlyMap<string, unknown>, file: string): string {
  for (const prefix of ['', 'bert.']) if (entries.has(`${prefix}embeddings.word_embeddings.weight`)) return prefix;
  throw createError('MODEL_IMPORT_FAILED', `${file} has no embeddings.word_embeddings.weight: not a BERT checkpoint`);
}

/**
 * Copies tokenizer, config and pooling files. transformers.js 2.x truncates to tokenizer_config's
 * model_max_length, so that is set to sentence-transformers' max_seq_length (256 for all-MiniLM-L6-v2, whose
 * tokenizer_config says 512): the length the model was trained and is evaluated at.
 */
function copyCheckpointFiles(source: string, target: string): number {
  for (const file of [...CHECKPOINT_FILES, ...OPTIONAL_FILES]) {
    if (file === 'model.safetensors' || !fs.existsSync(path.join(source, file))) continue;
    fs.mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
    fs.copyFileSync(path.join(source, file), path.join(target, file));
  }
  const tokenizerConfigFile = path.join(target, 'tokenizer_config.json');
  const tokenizerConfig = JSON.parse(fs.readFileSync(tokenizerConfigFile, 'utf8'));
  const sentenceConfigFile = path.join(source, 'sentence_bert_config.json');
  const trained = fs.existsSync(sentenceConfigFile) ? Number(JSON.parse(fs.readFileSync(sentenceConfigFile, 'utf8')).max_seq_length) : NaN;
  const current = Number(tokenizerConfig.model_max_length);
  const maxTokens = [trained, current].filter((n) => Number.isFinite(n) && n > 0).reduce((a, b) => Math.min(a, b), Infinity);
  if (Number.isFinite(maxTokens)) tokenizerConfig.model_max_length = maxTokens;
  fs.writeFileSync(tokenizerConfigFile, JSON.stringify(tokenizerConfig, null, 2) + '\n');
  return Number.isFinite(maxTokens) ? maxTokens : 512;
}

/** Swaps the new folder in; the old one (a previous import) is removed only once the new one is in place. */
function replaceFolder(staging: string, target: string): void {
  const old = `${target}.replaced-${process.pid}`;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const hadOld = fs.existsSync(target);
  if (hadOld) fs.renameSync(target, old);
  fs.renameSync(staging, target);
  if (hadOld) fs.rmSync(old, { recursive: true, force: true });
}
