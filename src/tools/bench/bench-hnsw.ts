import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VectorIndex, type HnswParams } from '../../index/vector-index.ts';
import { sentenceMixture } from './embedding-corpus.ts';
import { summarize } from '../shared/statistics.ts';
import { seededRandom } from '../shared/seeded-random.ts';
import { bruteForceKnn, fillMatrix, gaussian, paddedRow, randomUnitVector, recallAtK, type VectorMatrix } from './vectors.ts';

/**
 * `embedding-like`: real embeddings padded with perturbed copies (the data set a); `sentence-mixture`: the
 * vectors of the end-to-end bench's synthetic paragraphs; `random`: uniform unit vectors (data set b, HNSW's worst
 * case: no low-dimensional structure for the graph to follow).
 */
export const HNSW_DATASETS = ['embedding-like', 'sentence-mixture', 'random'] as const;
export type HnswDataset = (typeof HNSW_DATASETS)[number];

export interface HnswBenchOptions {
  readonly sizes: readonly number[];
  readonly datasets: readonly HnswDataset[];
  /** M and efConstruction of every build; efSearch is swept with `efValues`. */
  readonly build: Pick<HnswParams, 'm' | 'efConstruction'>;
  readonly efValues: readonly number[];
  readonly k: number;
  /** Centred real embeddings (paragraphs, then sentences) that the embedding-like data set is grown from. */
  readonly baseVectors: readonly Float32Array[];
  /** Centred sentence embeddings that the sentence-mixture data set is made of. */
  readonly sentenceVectors: readonly Float32Array[];
  /** Centred embeddings of real questions, the queries of both real-text data sets (none of them is indexed). */
  readonly queryVectors: readonly Float32Array[];
  /** Queries of the random data set. */
  readonly randomQueries: number;
  /** Noise of the perturbed copies and of the mixtures (see {@link perturb}). */
  readonly sigma: { readonly copies: number; readonly mixtures: number };
  readonly log: (message: string) => void;
}

export interface EfRow {
  readonly ef: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly recallAtK: number;
}

export interface HnswRow {
  readonly dataset: HnswDataset;
  readonly size: number;
  readonly m: number;
  readonly efConstruction: number;
  readonly queries: number;
  readonly buildSeconds: number;
  readonly fileBytes: number;
  /** Reading the written index back (what a bot start pays). */
  readonly loadSeconds: number;
  /** Process RSS before the build: Node, the model if loaded, and the data set's own Float32Array. */
  readonly rssBeforeBytes: number;
  /** Process RSS right after the build; the difference is the index's memory. */
  readonly rssBytes: number;
  /** The exact scan over a Float32Array that recall is measured against. */
  readonly bruteForce: { readonly p50Ms: number; readonly p99Ms: number };
  readonly sweep: readonly EfRow[];
}

const DIMENSION = 384;

/**
 * HNSW through the project's own {@link VectorIndex}: build time, file size, memory, and for each efSearch the query
 * latency and Recall@k against an exact scan. Each (data set, size) is built once, written, and read back once per
 * efSearch, since the index fixes efSearch at load. Memory figures are clean only for the first row of a process:
 * `docqa bench` runs each row in a fresh one.
 */
export async function benchHnsw(options: HnswBenchOptions): Promise<HnswRow[]> {
  const rows: HnswRow[] = [];
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-bench-hnsw-'));
  try {
    for (const dataset of options.datasets) {
      for (const size of options.sizes) {
        rows.push(await benchOne(dataset, size, path.join(folder, `${dataset}-${size}.hnsw`), options));
        const last = rows.at(-1)!;
        const best = last.sweep.map((row) => `ef ${row.ef}: R@${options.k} ${row.recallAtK.toFixed(3)} p50 ${row.p50Ms.toFixed(3)} ms`).join('; ');
        options.log(`hnsw ${dataset} ${size}: built in ${last.buildSeconds.toFixed(1)} s; ${best}`);
      }
    }
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
  return rows;
}

async function benchOne(dataset: HnswDataset, size: number, file: string, options: HnswBenchOptions): Promise<HnswRow> {
  const { matrix, queries } = makeDataSet(dataset, size, seededRandom(size + HNSW_DATASETS.indexOf(dataset)), options);
  collectGarbage();
  const rssBefore = process.memoryUsage().rss;

  let started = performance.now();
  const built = VectorIndex.create(DIMENSION, { ...options.build, efSearch: options.efValues[0] ?? 200 }, size);
  for (let row = 0; row < size; row++) built.add(row, vectorAt(matrix, row));
  const buildSeconds = (performance.now() - started) / 1000;
  collectGarbage();
  const rssBytes = process.memoryUsage().rss;
  built.write(file);
  const fileBytes = fs.statSync(file).size;

  const exact: number[][] = [];
  const bruteForceMs: number[] = [];
  for (const query of queries) {
    started = performance.now();
    exact.push(bruteForceKnn(matrix, query, options.k));
    bruteForceMs.push(performance.now() - started);
  }

  let loadSeconds = 0;
  const sweep: EfRow[] = [];
  for (const ef of options.efValues) {
    started = performance.now();
    const index = VectorIndex.read(file, DIMENSION, { ...options.build, efSearch: ef }, 0);
    loadSeconds ||= (performance.now() - started) / 1000;
    for (const query of queries.slice(0, 10)) index.search(query, options.k);
    const latencies: number[] = [];
    let recall = 0;
    queries.forEach((query, i) => {
      const begin = performance.now();
      const hits = index.search(query, options.k);
      latencies.push(performance.now() - begin);
      recall += recallAtK(hits.map((hit) => hit.label), exact[i]!, options.k);
    });
    const summary = summarize(latencies);
    sweep.push({ ef, p50Ms: summary.p50, p99Ms: summary.p99, recallAtK: recall / queries.length });
  }
  const bruteForce = summarize(bruteForceMs);
  return {
    dataset,
    size,
    m: options.build.m,
    efConstruction: options.build.efConstruction,
    queries: queries.length,
    buildSeconds,
    fileBytes,
    loadSeconds,
    rssBeforeBytes: rssBefore,
    rssBytes,
    bruteForce: { p50Ms: bruteForce.p50, p99Ms: bruteForce.p99 },
    sweep,
  };
}

function makeDataSet(dataset: HnswDataset, size: number, random: () => number, options: HnswBenchOptions): { matrix: VectorMatrix; queries: Float32Array[] } {
  const normal = gaussian(random);
  switch (dataset) {
    case 'embedding-like':
      return { matrix: fillMatrix(size, DIMENSION, (row) => paddedRow(options.baseVectors, row, options.sigma.copies, normal)), queries: [...options.queryVectors] };
    case 'sentence-mixture':
      return { matrix: fillMatrix(size, DIMENSION, () => sentenceMixture(options.sentenceVectors, random, normal, options.sigma.mixtures).vector), queries: [...options.queryVectors] };
    case 'random':
      return {
        matrix: fillMatrix(size, DIMENSION, () => randomUnitVector(DIMENSION, normal)),
        queries: Array.from({ length: options.randomQueries }, () => randomUnitVector(DIMENSION, normal)),
      };
  }
}

function vectorAt(matrix: VectorMatrix, row: number): Float32Array {
  return matrix.data.subarray(row * matrix.dimension, (row + 1) * matrix.dimension);
}

/** Frees dropped indexes before memory is read, when the process runs with --expose-gc (the bench's children do). */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
