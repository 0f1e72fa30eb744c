import path from 'node:path';
import { AutoTokenizer, env, type PreTrainedTokenizer } from '@xenova/transformers';
import { getModelFile } from '@xenova/transformers/src/utils/hub.js';
import { createError, describeError } from '../errors.ts';
import type { Embedder, TokenizerSource } from './embedder.ts';
import { encodeBatch, openOnnxEncoder, type OnnxEncoder } from './onnx-encoder.ts';
import { PassagePool } from './passage-pool.ts';
import { MODULES_FILE, POOLING_FILE, readPoolingRecord } from './pooling.ts';
import { expectedModelFiles, missingModelFiles, onnxModelFile, resolveModelLocation, type ModelLocation } from './model-location.ts';

export interface TransformersEmbedderOptions {
  /** Hub id (`Xenova/all-MiniLM-L6-v2`) or a local folder path. */
  readonly model: string;
  readonly modelsDir: string;
  readonly quantized: boolean;
  readonly allowDownload: boolean;
  /** Inputs are truncated to this many tokens, special tokens included (the model's trained length). */
  readonly maxTokens: number;
  readonly batchSize: number;
  /** Threads the model may use for one input (onnxruntime's intra-op threads). */
  readonly threads: number;
  /** Child processes that embed passages side by side when indexing (1 = none, all in this process). */
  readonly workers: number;
  readonly queryPrefix: string;
  readonly passagePrefix: string;
}

/**
 * Fetches the model through transformers.js (the hub download into the models folder, or a local folder) and
 * returns an {@link Embedder} that runs its tokenizer and the ONNX model.
 *
 * We run tokenizer and model ourselves instead of the `feature-extraction` pipeline: the pipeline pads every batch
 * to its longest member and pools in slow generic code; here batches are sorted by length first and pooled with a
 * typed-array loop (measured: ~40x cheaper pooling, and sorted batches avoid paying for padding). The ONNX session
 * is opened from the model file by us, not by transformers.js: it opens one from a buffer, and onnxruntime-node
 * 1.14 then ignores session options, so the thread count could not be chosen (`EMBEDDING_THREADS`; on 2 cores,
 * 2 threads measured 1.6x the throughput of 1 and 0.7x its query latency).
 */
export async function loadTransformersEmbedder(options: TransformersEmbedderOptions): Promise<Embedder> {
  const location = resolveModelLocation(options.model, options.modelsDir);
  // transformers.js keeps these in module state; they are set right before each load so the last caller wins,
  // and the cache is the models folder, never node_modules.
  env.localModelPath = location.root;
  env.cacheDir = location.root;
  env.allowLocalModels = true;
  env.allowRemoteModels = options.allowDownload && location.root === options.modelsDir;

  const modelFile = path.join(location.folder, onnxModelFile(options.quantized));
  let tokenizer: PreTrainedTokenizer;
  let encoder: OnnxEncoder;
  try {
    // Only missing files go through transformers.js's hub code (download into the models folder, when allowed):
    // it returns each file's bytes, and the ONNX model is read by the session below anyway. config.json is not
    // read here, but belongs to a complete copy of the model (what download-model promises offline installs).
    const missing = missingModelFiles(location, options.quantized);
    for (const file of missing) await getModelFile(location.id, file, true, {});
    // The pooling files are optional (many hub repositories have none: mean pooling). They are fetched only along
    // with a download, so a complete local copy never touches the network, and their failure is no failure.
    if (missing.length > 0) {
      for (const file of [POOLING_FILE, MODULES_FILE]) await getModelFile(location.id, file, false, {}).catch(() => null);
    }
    tokenizer = await AutoTokenizer.from_pretrained(location.id);
    const { pooling } = readPoolingRecord(location.folder);
    encoder = await openOnnxEncoder(modelFile, options.threads, BigInt((tokenizer as { pad_token_id?: number }).pad_token_id ?? 0), pooling);
  } catch (error) {
    throw modelUnavailable(options, location, error);
  }
  const embedder = new TransformersEmbedder(tokenizer, encoder, modelFile, options, location);
  await embedder.warmUp();
  return embedder;
}

function modelUnavailable(options: TransformersEmbedderOptions, location: ModelLocation, error: unknown) {
  const missing = missingModelFiles(location, options.quantized);
  const files = (missing.length > 0 ? missing : expectedModelFiles(options.quantized)).join(', ');
  const how = env.allowRemoteModels
    ? `downloading it from the Hugging Face hub failed (${describeError(error)})`
    : missing.length > 0
      ? 'downloads are off (ALLOW_MODEL_DOWNLOAD=false, or a local folder was given)'
      : `loading failed (${describeError(error)})`;
  return createError('MODEL_UNAVAILABLE', options.model, location.folder, how, `${missing.length > 0 ? 'missing ' : ''}files: ${files}`).causedBy(error);
}

class TransformersEmbedder implements Embedder {
  readonly modelId: string;
  /** Passage budget for the splitter: the window less special tokens and the passage prefix. */
  readonly maxTokens: number;
  readonly tokenizerSource: TokenizerSource;
  dimension = 0;
  /** Input window in tokens, special tokens included. */
  private readonly window: number;
  /** Started by the first large embedPassages call, closed after a quiet spell. */
  private pool: Promise<PassagePool> | undefined;
  private poolTimer: NodeJS.Timeout | undefined;
  private poolCalls = 0;

  constructor(
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly encoder: OnnxEncoder,
    private readonly modelFile: string,
    private readonly options: TransformersEmbedderOptions,
    location: ModelLocation,
  ) {
    const trained = Number((tokenizer as { model_max_length?: number }).model_max_length) || options.maxTokens;
    this.window = Math.min(options.maxTokens, trained);
    this.maxTokens = this.window - 2 - this.countTokens(options.passagePrefix);
    this.tokenizerSource = { root: location.root, id: location.id, maxTokens: this.maxTokens };
    this.modelId = [
      options.model,
      options.quantized ? 'int8' : 'fp32',
      `max${this.window}`,
      options.queryPrefix || options.passagePrefix ? `prefix:${options.queryPrefix}|${options.passagePrefix}` : '',
    ].filter(Boolean).join(' ');
  }

  /** Runs the model once so the first real question doesn't pay for graph initialisation; learns the dimension. */
  async warmUp(): Promise<void> {
    const [vector] = await this.embedBatch([this.encode('warm up')]);
    this.dimension = vector!.length;
  }

  countTokens(text: string): number {
    return countTokensWith(this.tokenizer, text);
  }

  async embedQuery(text: string): Promise<Float32Array> {
    const [vector] = await this.embedBatch([this.encode(this.options.queryPrefix + text)]);
    return vector!;
  }

  async embedPassages(texts: readonly string[]): Promise<Float32Array[]> {
    const encoded = texts.map((text, index) => ({ index, ids: this.encode(this.options.passagePrefix + text) }));
    // Shortest first: a batch is padded to its longest member, so similar lengths waste the least compute.
    encoded.sort((a, b) => a.ids.length - b.ids.length);
    const batches: (typeof encoded)[] = [];
    for (let start = 0; start < encoded.length; start += this.options.batchSize) batches.push(encoded.slice(start, start + this.options.batchSize));
    const rows = batches.map((batch) => batch.map((item) => item.ids));
    const usePool = this.options.workers > 1 && encoded.length >= POOL_MIN_PASSAGES;
    const batchVectors = usePool ? await this.embedInPool(rows) : await mapInOrder(rows, (batch) => this.embedBatch(batch));
    const vectors: Float32Array[] = new Array(texts.length);
    batches.forEach((batch, b) => batch.forEach((item, i) => (vectors[item.index] = batchVectors[b]![i]!)));
    return vectors;
  }

  private async embedInPool(batches: readonly number[][][]): Promise<Float32Array[][]> {
    clearTimeout(this.poolTimer);
    this.poolCalls++;
    this.pool ??= PassagePool.start(this.options.workers, this.modelFile, this.encoder.padId, this.encoder.pooling);
    const pool = this.pool;
    try {
      return await (await pool).embed(batches);
    } catch (error) {
      // A worker that died takes the pool with it; the next call starts a fresh one.
      if (this.pool === pool) this.pool = undefined;
      (await pool.catch(() => undefined))?.close();
      throw error;
    } finally {
      // The idle countdown starts when the last concurrent call is done, never under a running one.
      if (--this.poolCalls === 0 && this.pool) this.poolTimer = setTimeout(() => void this.closePool(), POOL_IDLE_MS).unref();
    }
  }

  async close(): Promise<void> {
    clearTimeout(this.poolTimer);
    await this.closePool();
  }

  private async closePool(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.then((running) => running.close(), () => undefined);
  }

  /** Token ids with special tokens, truncated to the window while keeping the closing special token. */
  private encode(text: string): number[] {
    const ids = this.tokenizer.encode(text);
    if (ids.length <= this.window) return ids;
    return [...ids.slice(0, this.window - 1), ids[ids.length - 1]!];
  }

  private embedBatch(batch: readonly number[][]): Promise<Float32Array[]> {
    return encodeBatch(this.encoder, batch);
  }
}

/** Below this many passages in one call, starting the worker processes (about a second) is not worth it. */
const POOL_MIN_PASSAGES = 32;
/** Workers hold a model copy each: they are closed when indexing has been quiet this long. */
const POOL_IDLE_MS = 30_000;

async function mapInOrder<T, R>(items: readonly T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (const item of items) results.push(await run(item));
  return results;
}

/** Model tokens in `text` without special tokens: the splitter's measure, the same in every thread. */
export function countTokensWith(tokenizer: PreTrainedTokenizer, text: string): number {
  return tokenizer.encode(text, null, { add_special_tokens: false }).length;
}
