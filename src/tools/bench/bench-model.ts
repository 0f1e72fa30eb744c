import fs from 'node:fs';
import path from 'node:path';
import type { Embedder } from '../../embed/embedder.ts';
import { missingModelFiles, onnxModelFile, resolveModelLocation } from '../../embed/model-location.ts';
import { loadTransformersEmbedder } from '../../embed/transformers-embedder.ts';
import { createError } from '../../errors.ts';
import { writeMiniLmShape } from '../models/make-minilm-shape.ts';
import { median, summarize } from '../shared/statistics.ts';

/** The bench model's id under the models folder: `<MODELS_DIR>/bench/minilm-shape`. */
export const BENCH_MODEL_ID = 'bench/minilm-shape';

export type ModelVariant = 'fp32' | 'int8';

export interface BenchModel {
  /** The model id under the models folder: {@link BENCH_MODEL_ID}, or EMBEDDING_MODEL with --configured-model. */
  readonly id: string;
  readonly folder: string;
  /** Seconds spent generating it now; null when it was already there. */
  readonly generatedSeconds: number | null;
  readonly fp32Bytes: number;
  readonly int8Bytes: number;
}

/**
 * Makes sure the MiniLM-shaped random model exists, generating it once (about 20 s) if any file is missing. It is
 * written beside its final place and renamed in, so an interrupted run never leaves a half model to be loaded.
 */
export function ensureBenchModel(modelsDir: string): BenchModel {
  const location = resolveModelLocation(BENCH_MODEL_ID, modelsDir);
  let generatedSeconds: number | null = null;
  if (missingModelFiles(location, true).length > 0 || missingModelFiles(location, false).length > 0) {
    const started = performance.now();
    const staging = `${location.folder}.tmp-${process.pid}`;
    fs.rmSync(staging, { recursive: true, force: true });
    writeMiniLmShape(staging);
    fs.rmSync(location.folder, { recursive: true, force: true });
    fs.renameSync(staging, location.folder);
    generatedSeconds = (performance.now() - started) / 1000;
  }
  return describeModelFolder(BENCH_MODEL_ID, location.folder, generatedSeconds);
}

/**
 * A model already in the models folder (an imported or downloaded one, e.g. the real all-MiniLM-L6-v2), to time in
 * place of the generated one; MODEL_UNAVAILABLE, naming what is missing, if either variant is not there.
 */
export function existingBenchModel(id: string, modelsDir: string): BenchModel {
  const location = resolveModelLocation(id, modelsDir);
  const missing = [...new Set([...missingModelFiles(location, false), ...missingModelFiles(location, true)])];
  if (missing.length > 0) throw createError('MODEL_UNAVAILABLE', id, location.folder, '--configured-model times both variants and needs them on disk', `missing files: ${missing.join(', ')}`);
  return describeModelFolder(id, location.folder, null);
}

function describeModelFolder(id: string, folder: string, generatedSeconds: number | null): BenchModel {
  const size = (quantized: boolean) => fs.statSync(path.join(folder, onnxModelFile(quantized))).size;
  return { id, folder, generatedSeconds, fp32Bytes: size(false), int8Bytes: size(true) };
}

export interface BenchEmbedderSettings {
  /** Defaults to {@link BENCH_MODEL_ID}. */
  readonly model?: string;
  readonly modelsDir: string;
  readonly variant: ModelVariant;
  readonly batchSize: number;
  readonly maxTokens: number;
  readonly threads: number;
  /** Passage worker processes (1 = embed in this process). */
  readonly workers: number;
}

/** Loads the bench model through the project's own embedder, exactly as the engine loads a hub model. */
export function loadBenchEmbedder(settings: BenchEmbedderSettings): Promise<Embedder> {
  return loadTransformersEmbedder({
    model: settings.model ?? BENCH_MODEL_ID,
    modelsDir: settings.modelsDir,
    quantized: settings.variant === 'int8',
    allowDownload: false,
    maxTokens: settings.maxTokens,
    batchSize: settings.batchSize,
    threads: settings.threads,
    workers: settings.workers,
    queryPrefix: '',
    passagePrefix: '',
  });
}

export interface ModelBenchOptions {
  /** The model id to time (default {@link BENCH_MODEL_ID}). */
  readonly model?: string;
  readonly modelsDir: string;
  /** EMBEDDING_MAX_TOKENS: the window (the bench model's own limit is 256). */
  readonly maxTokens: number;
  readonly paragraphs: readonly string[];
  readonly questions: readonly string[];
  readonly variants: readonly ModelVariant[];
  readonly batchSizes: readonly number[];
  /** onnxruntime intra-op thread counts to compare (EMBEDDING_THREADS), embedding in this process. */
  readonly threadCounts: readonly number[];
  /** Worker process counts to compare (EMBEDDING_WORKERS > 1), one thread each, batch size 1. */
  readonly workerCounts: readonly number[];
  /** Timed passes over all paragraphs per configuration; the median is reported. */
  readonly rounds: number;
  readonly log: (message: string) => void;
}

export interface ThroughputRow {
  readonly variant: ModelVariant;
  readonly threads: number;
  /** 1 = in this process; more = that many worker processes with `threads` each. */
  readonly workers: number;
  readonly batchSize: number;
  readonly paragraphsPerSecond: number;
  readonly tokensPerSecond: number;
  /** Median seconds of one pass over all paragraphs. */
  readonly seconds: number;
}

export interface QueryLatencyRow {
  readonly variant: ModelVariant;
  readonly threads: number;
  readonly queries: number;
  /** `embedQuery`, milliseconds. */
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly meanMs: number;
  /** Tokenising the question alone (`countTokens`), milliseconds: the part that is not the model. */
  readonly tokenizeP50Ms: number;
}

export interface ModelBenchResult {
  readonly corpus: {
    readonly paragraphs: number;
    /** Tokens the model sees, special tokens included, after truncation to the window. */
    readonly tokens: number;
    readonly meanTokens: number;
    readonly truncated: number;
    readonly window: number;
  };
  readonly throughput: readonly ThroughputRow[];
  readonly queryLatency: readonly QueryLatencyRow[];
  /** Per variant, the setting with the highest paragraphs/s. */
  readonly best: Readonly<Partial<Record<ModelVariant, { readonly threads: number; readonly workers: number; readonly batchSize: number }>>>;
}

/**
 * Indexing throughput of `embedPassages` per variant and batch size (a fresh embedder each, since the batch size is
 * fixed at load), and `embedQuery` latency per variant, one question at a time as the bot asks them.
 */
export async function benchModel(options: ModelBenchOptions): Promise<ModelBenchResult> {
  const { model, modelsDir, maxTokens, paragraphs, questions, log } = options;
  const throughput: ThroughputRow[] = [];
  const queryLatency: QueryLatencyRow[] = [];
  let corpus: ModelBenchResult['corpus'] | undefined;

  for (const variant of options.variants) {
    for (const threads of options.threadCounts) {
      for (const batchSize of options.batchSizes) {
        const embedder = await loadBenchEmbedder({ model, modelsDir, variant, batchSize, maxTokens, threads, workers: 1 });
        corpus ??= describeCorpus(embedder, paragraphs, maxTokens);
        const seconds = await timePasses(embedder, paragraphs, batchSize, options.rounds);
        throughput.push(throughputRow({ variant, threads, workers: 1, batchSize }, seconds, paragraphs.length, corpus.tokens));
        log(`model ${variant} ${threads} thread(s) batch ${batchSize}: ${throughput.at(-1)!.paragraphsPerSecond.toFixed(1)} paragraphs/s`);
      }
      queryLatency.push(await timeQueries(await loadBenchEmbedder({ model, modelsDir, variant, batchSize: 1, maxTokens, threads, workers: 1 }), variant, threads, questions));
      log(`model ${variant} ${threads} thread(s) query latency p50 ${queryLatency.at(-1)!.p50Ms.toFixed(2)} ms`);
    }
    for (const workers of options.workerCounts) {
      const embedder = await loadBenchEmbedder({ model, modelsDir, variant, batchSize: 1, maxTokens, threads: 1, workers });
      corpus ??= describeCorpus(embedder, paragraphs, maxTokens);
      // The untimed pass in timePasses is too small to start the workers: one full pass starts them first.
      await embedder.embedPassages(paragraphs);
      const seconds = await timePasses(embedder, paragraphs, 1, options.rounds);
      throughput.push(throughputRow({ variant, threads: 1, workers, batchSize: 1 }, seconds, paragraphs.length, corpus.tokens));
      log(`model ${variant} ${workers} workers x 1 thread: ${throughput.at(-1)!.paragraphsPerSecond.toFixed(1)} paragraphs/s`);
    }
  }

  const best: Partial<Record<ModelVariant, { threads: number; workers: number; batchSize: number }>> = {};
  for (const variant of options.variants) {
    const rows = throughput.filter((row) => row.variant === variant);
    const top = rows.reduce<ThroughputRow | undefined>((kept, row) => (!kept || row.paragraphsPerSecond > kept.paragraphsPerSecond ? row : kept), undefined);
    if (top) best[variant] = { threads: top.threads, workers: top.workers, batchSize: top.batchSize };
  }
  return { corpus: corpus ?? { paragraphs: paragraphs.length, tokens: 0, meanTokens: 0, truncated: 0, window: maxTokens }, throughput, queryLatency, best };
}

function throughputRow(setting: Pick<ThroughputRow, 'variant' | 'threads' | 'workers' | 'batchSize'>, seconds: number, paragraphs: number, tokens: number): ThroughputRow {
  return { ...setting, seconds, paragraphsPerSecond: paragraphs / seconds, tokensPerSecond: tokens / seconds };
}

/** Median seconds of `rounds` passes of `embedPassages` over all paragraphs. */
async function timePasses(embedder: Embedder, paragraphs: readonly string[], batchSize: number, rounds: number): Promise<number> {
  // One untimed pass over a few paragraphs: the first runs of a new input shape pay for allocations.
  await embedder.embedPassages(paragraphs.slice(0, Math.max(batchSize, 8)));
  const seconds: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    await embedder.embedPassages(paragraphs);
    seconds.push((performance.now() - started) / 1000);
  }
  return median(seconds);
}

/** `embedQuery` one question at a time, as the bot asks them, after ten untimed ones. */
async function timeQueries(embedder: Embedder, variant: ModelVariant, threads: number, questions: readonly string[]): Promise<QueryLatencyRow> {
  for (const question of questions.slice(0, 10)) await embedder.embedQuery(question);
  const latencies: number[] = [];
  const tokenize: number[] = [];
  for (const question of questions) {
    let started = performance.now();
    await embedder.embedQuery(question);
    latencies.push(performance.now() - started);
    started = performance.now();
    embedder.countTokens(question);
    tokenize.push(performance.now() - started);
  }
  const summary = summarize(latencies);
  return { variant, threads, queries: questions.length, p50Ms: summary.p50, p95Ms: summary.p95, meanMs: summary.mean, tokenizeP50Ms: summarize(tokenize).p50 };
}

/** Token counts as the model sees them: [CLS] + text + [SEP], cut to the window. */
function describeCorpus(embedder: Embedder, paragraphs: readonly string[], maxTokens: number): ModelBenchResult['corpus'] {
  // The embedder's passage budget is the window less the two special tokens.
  const window = Math.min(maxTokens, embedder.maxTokens + 2);
  let tokens = 0;
  let truncated = 0;
  for (const paragraph of paragraphs) {
    const count = embedder.countTokens(paragraph) + 2;
    if (count > window) truncated++;
    tokens += Math.min(count, window);
  }
  return { paragraphs: paragraphs.length, tokens, meanTokens: tokens / Math.max(1, paragraphs.length), truncated, window };
}
