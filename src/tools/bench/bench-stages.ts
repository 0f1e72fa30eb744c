import path from 'node:path';
import type { EngineConfig } from '../../config.ts';
import { embedderOptionsFrom } from '../../configured-embedder.ts';
import type { Embedder } from '../../embed/embedder.ts';
import { loadTransformersEmbedder } from '../../embed/transformers-embedder.ts';
import { createError, isAppError } from '../../errors.ts';
import { benchEndToEnd, type E2eResult } from './bench-e2e.ts';
import { benchHighlight, type HighlightBenchResult } from './bench-highlight.ts';
import { benchHnsw, HNSW_DATASETS, type HnswDataset, type HnswRow } from './bench-hnsw.ts';
import { benchPgvector, type PgvectorBenchResult, type PgvectorGrid } from './bench-pgvector.ts';
import { benchModel, ensureBenchModel, existingBenchModel, loadBenchEmbedder, type BenchEmbedderSettings, type BenchModel, type ModelBenchResult, type ModelVariant } from './bench-model.ts';
import { embedCorpus } from './embedding-corpus.ts';
import { readCpuTimes, stealPercent } from './machine.ts';
import { readXquad } from '../shared/xquad.ts';

export const STAGES = ['model', 'hnsw', 'e2e', 'highlight', 'pgvector'] as const;
export type Stage = (typeof STAGES)[number];

/** Everything a run measures, fixed before it starts (`--quick` picks the small plan). */
export interface BenchPlan {
  readonly quick: boolean;
  readonly xquadFile: string;
  readonly variants: readonly ModelVariant[];
  readonly batchSizes: readonly number[];
  readonly threadCounts: readonly number[];
  readonly workerCounts: readonly number[];
  readonly rounds: number;
  /** XQuAD paragraphs used (throughput, and the seed corpus of the HNSW and end-to-end data). */
  readonly paragraphs: number;
  readonly queries: number;
  readonly sizes: readonly number[];
  readonly datasets: readonly HnswDataset[];
  readonly efValues: readonly number[];
  readonly k: number;
  /** Noise of the padded copies (HNSW embedding-like) and of the synthetic paragraphs' vectors (mixtures). */
  readonly sigma: { readonly copies: number; readonly mixtures: number };
  /** The engine's candidates per retriever for k = 3 (engine.ts: max(50, 4k)). */
  readonly candidates: number;
  /** Where the end-to-end stage also puts its index: file (in memory only, as loaded from files) or postgres too. */
  readonly store: 'file' | 'postgres';
  /** pgvector hnsw.ef_search values timed with --store postgres. */
  readonly pgEfValues: readonly number[];
  /** The pgvector stage (`--only pgvector --store postgres`): HNSW builds and ef_search values measured. */
  readonly pgGrid: PgvectorGrid;
  /** --configured-model: the model stage times EMBEDDING_MODEL from MODELS_DIR instead of the generated bench model. */
  readonly configuredModel: boolean;
}

export function makePlan(options: { quick: boolean; sizes?: readonly number[]; datasets?: readonly HnswDataset[]; xquadFile: string; store?: 'file' | 'postgres'; configuredModel?: boolean }): BenchPlan {
  const quick = options.quick;
  return {
    quick,
    xquadFile: options.xquadFile,
    variants: ['fp32', 'int8'],
    batchSizes: quick ? [1, 8] : [1, 4, 16],
    threadCounts: quick ? [1] : [1, 2],
    workerCounts: quick ? [] : [2],
    rounds: quick ? 1 : 3,
    paragraphs: quick ? 24 : Infinity,
    queries: quick ? 20 : 200,
    sizes: options.sizes ?? (quick ? [2000] : [10_000, 100_000]),
    datasets: options.datasets ?? HNSW_DATASETS,
    efValues: [50, 75, 100, 150, 200, 400],
    k: 10,
    // A copy's cosine to its source ≈ 1/√(1 + σ²·384): 0.98 for σ = 0.01 ("small noise"). At σ = 0.04 (0.79) the
    // noise dominates: 100k copies then behave almost like random vectors (Recall@10 0.91 at ef 400).
    sigma: { copies: 0.01, mixtures: 0.01 },
    candidates: 50,
    store: options.store ?? 'file',
    pgEfValues: [40, 100, 200],
    pgGrid: { m: quick ? [16] : [12, 16, 24], efConstruction: quick ? [64] : [64, 128], efSearch: [40, 80, 160], buildMemoryMb: 1024 },
    configuredModel: options.configuredModel ?? false,
  };
}

export type StageResult =
  | { readonly stage: 'model'; readonly model: BenchModel; readonly result: ModelBenchResult; readonly stealPercent: number; readonly seconds: number }
  | { readonly stage: 'hnsw'; readonly seedVectors: number; readonly result: readonly HnswRow[]; readonly stealPercent: number; readonly seconds: number }
  | { readonly stage: 'e2e'; readonly result: E2eResult; readonly stealPercent: number; readonly seconds: number }
  | { readonly stage: 'highlight'; readonly result: HighlightBenchResult; readonly stealPercent: number; readonly seconds: number }
  | { readonly stage: 'pgvector'; readonly result: PgvectorBenchResult; readonly stealPercent: number; readonly seconds: number };

/** Runs one stage in this process. */
export async function runStage(stage: Stage, plan: BenchPlan, config: EngineConfig, log: (message: string) => void): Promise<StageResult> {
  const cpuBefore = readCpuTimes();
  const started = performance.now();
  const finish = <T extends object>(fields: T) => ({ ...fields, stealPercent: stealPercent(cpuBefore, readCpuTimes()), seconds: (performance.now() - started) / 1000 });

  const timesConfigured = stage === 'model' && plan.configuredModel;
  const model = timesConfigured ? existingBenchModel(config.embeddingModel, config.modelsDir) : ensureBenchModel(config.modelsDir);
  if (model.generatedSeconds !== null) log(`generated ${path.relative(process.cwd(), model.folder)} in ${model.generatedSeconds.toFixed(1)} s`);
  const xquad = readXquad(plan.xquadFile);
  const questions = xquad.questions.slice(0, plan.queries);
  const paragraphs = xquad.paragraphs.slice(0, plan.paragraphs);

  if (stage === 'model') {
    const result = await benchModel({
      model: model.id,
      modelsDir: config.modelsDir,
      maxTokens: config.embeddingMaxTokens,
      paragraphs,
      questions,
      variants: plan.variants,
      batchSizes: plan.batchSizes,
      threadCounts: plan.threadCounts,
      workerCounts: plan.workerCounts,
      rounds: plan.rounds,
      log,
    });
    return finish({ stage, model, result });
  }

  if (stage === 'hnsw') {
    // The random data set needs no model: skip loading it, so that its memory figures are the index's alone.
    const realText = plan.datasets.some((dataset) => dataset !== 'random');
    const embedder = realText ? await loadBenchEmbedder(engineBenchEmbedder(config)) : undefined;
    const corpus = embedder ? await embedCorpus(embedder, xquad, plan.paragraphs) : undefined;
    const queryVectors: Float32Array[] = [];
    if (embedder && corpus) {
      log(`embedded ${corpus.vectors.length} XQuAD paragraphs and sentences as seed vectors`);
      for (const question of questions) queryVectors.push(corpus.center(await embedder.embedQuery(question)));
    }
    const result = await benchHnsw({
      sizes: plan.sizes,
      datasets: plan.datasets,
      build: { m: config.hnswM, efConstruction: config.hnswEfConstruction },
      efValues: plan.efValues,
      k: plan.k,
      baseVectors: corpus?.vectors ?? [],
      sentenceVectors: corpus?.sentenceVectors ?? [],
      queryVectors,
      randomQueries: questions.length,
      sigma: plan.sigma,
      log,
    });
    return finish({ stage, seedVectors: corpus?.vectors.length ?? 0, result });
  }

  if (stage === 'highlight') {
    const embedder = await loadHighlightEmbedder(config, log);
    try {
      const result = await benchHighlight({ corpus: xquad, questions, embedder, denseWeight: config.hybridDenseWeight, log });
      return finish({ stage, result });
    } finally {
      await embedder.close();
    }
  }

  const embedder = await loadBenchEmbedder(engineBenchEmbedder(config));
  const corpus = await embedCorpus(embedder, xquad, plan.paragraphs);
  log(`embedded ${corpus.vectors.length} XQuAD paragraphs and sentences as seed vectors`);
  if (stage === 'pgvector') {
    const queryVectors: Float32Array[] = [];
    for (const question of questions) queryVectors.push(corpus.center(await embedder.embedQuery(question)));
    const result = await benchPgvector({ url: postgresUrl(config), size: Math.max(...plan.sizes), corpus, sigma: plan.sigma.mixtures, queryVectors, grid: plan.pgGrid, log });
    return finish({ stage, result });
  }
  const result = await benchEndToEnd({
    size: Math.max(...plan.sizes),
    hnsw: { m: config.hnswM, efConstruction: config.hnswEfConstruction, efSearch: config.hnswEfSearch },
    rank: { candidates: plan.candidates, denseWeight: config.hybridDenseWeight },
    embedder,
    corpus,
    questions,
    sigma: plan.sigma.mixtures,
    log,
    ...(plan.store === 'postgres' ? { postgres: { url: postgresUrl(config), efValues: plan.pgEfValues } } : {}),
  });
  return finish({ stage, result });
}

/**
 * The configured model if it is on disk (EMBEDDING_MODEL in MODELS_DIR: the real one, for the real figure), else the
 * bench model, which has its shape and so its speed.
 */
async function loadHighlightEmbedder(config: EngineConfig, log: (message: string) => void): Promise<Embedder> {
  try {
    return await loadTransformersEmbedder(embedderOptionsFrom(config, { allowDownload: false }));
  } catch (error) {
    if (!isAppError(error, 'MODEL_UNAVAILABLE')) throw error;
    log(`${config.embeddingModel} is not in ${config.modelsDir}: timing the bench model (same shape) instead`);
    return loadBenchEmbedder(engineBenchEmbedder(config));
  }
}

/** The int8 bench model with the configured batch size, window and threads: what the engine would run. */
function engineBenchEmbedder(config: EngineConfig): BenchEmbedderSettings {
  return { modelsDir: config.modelsDir, variant: 'int8', batchSize: config.embeddingBatchSize, maxTokens: config.embeddingMaxTokens, threads: config.embeddingThreads, workers: config.embeddingWorkers };
}

function postgresUrl(config: EngineConfig): string {
  if (config.store.kind !== 'postgres') throw createError('BAD_USAGE', '--store postgres needs STORE=postgres and DATABASE_URL (a PostgreSQL with pgvector)');
  return config.store.url;
}
