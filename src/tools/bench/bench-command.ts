import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseOptions } from '../../cli/options.ts';
import type { CliIo } from '../../cli/output.ts';
import type { AppConfig } from '../../config.ts';
import { createError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { formatBenchReport, type BenchReport } from './bench-report.ts';
import { HNSW_DATASETS, type HnswDataset } from './bench-hnsw.ts';
import { makePlan, runStage, STAGES, type Stage, type StageResult } from './bench-stages.ts';
import { describeMachine } from './machine.ts';
import { DEFAULT_XQUAD_FILE } from '../shared/xquad.ts';

const BIN = fileURLToPath(new URL('../../bin.mjs', import.meta.url));

/**
 * `docqa bench [--quick] [--only model|hnsw|e2e|highlight|pgvector] [--sizes 10000,100000] [--json]` (and `--dataset NAME` to limit
 * the HNSW rows, `--xquad FILE` for another XQuAD file, `--store postgres` to put the end-to-end index through the
 * PostgreSQL store of DATABASE_URL too, and to run the pgvector stage: HNSW build parameters and ef_search on the store's
 * table; `--configured-model` to time EMBEDDING_MODEL from MODELS_DIR, such as the imported real weights, in the model
 * stage instead of the generated MiniLM-shaped model): measures model throughput and latency, HNSW at scale and the
 * question path end to end, and prints the figures with the machine.
 *
 * Without --only, each stage (each HNSW row) runs in a child process of its own (`bench --only <stage> --json`, with
 * --expose-gc), so that one stage's memory neither inflates the next one's RSS nor is freed in the middle of its
 * timings.
 */
export async function benchCommand(config: AppConfig, logger: Logger, io: CliIo, args: readonly string[]): Promise<number> {
  const { values } = parseOptions(args, {
    quick: { type: 'boolean' },
    only: { type: 'string' },
    sizes: { type: 'string' },
    json: { type: 'boolean' },
    dataset: { type: 'string' },
    xquad: { type: 'string' },
    store: { type: 'string' },
    'configured-model': { type: 'boolean' },
  });
  const only = parseStage(values.only);
  const plan = makePlan({
    quick: values.quick ?? false,
    sizes: values.sizes === undefined ? undefined : parseSizes(values.sizes),
    datasets: values.dataset === undefined ? undefined : [parseDataset(values.dataset)],
    xquadFile: path.resolve(values.xquad ?? DEFAULT_XQUAD_FILE),
    store: parseStore(values.store),
    configuredModel: values['configured-model'] ?? false,
  });
  const log = (message: string) => logger.info(`bench: ${message}`);

  const stages: StageResult[] = [];
  if (only) {
    stages.push(await runStage(only, plan, config.engine, log));
  } else {
    const passOn = [...(values.quick ? ['--quick'] : []), ...(plan.configuredModel ? ['--configured-model'] : []), '--xquad', plan.xquadFile, '--store', plan.store];
    const sizes = ['--sizes', plan.sizes.join(',')];
    for (const stage of STAGES) {
      // The pgvector stage measures a database: only with one.
      if (stage === 'pgvector' && plan.store !== 'postgres') continue;
      log(`stage ${stage}: starting in a child process`);
      if (stage !== 'hnsw') {
        stages.push(await runStageInChild(stage, [...passOn, ...sizes], io));
        continue;
      }
      // One process per row, so that each row's RSS is its own index's and not what earlier rows left behind.
      const rows: StageResult[] = [];
      for (const dataset of plan.datasets) {
        for (const size of plan.sizes) rows.push(await runStageInChild(stage, [...passOn, '--sizes', String(size), '--dataset', dataset], io));
      }
      stages.push(mergeHnswRows(rows));
    }
  }

  const { engine } = config;
  const report: BenchReport = {
    machine: describeMachine(),
    plan,
    settings: { embeddingBatchSize: engine.embeddingBatchSize, embeddingThreads: engine.embeddingThreads, embeddingWorkers: engine.embeddingWorkers, hnsw: { m: engine.hnswM, efConstruction: engine.hnswEfConstruction, efSearch: engine.hnswEfSearch } },
    stages,
  };
  io.stdout((values.json ? JSON.stringify(report, jsonNumbers) : formatBenchReport(report)) + '\n');
  return 0;
}

function parseStage(value: string | undefined): Stage | undefined {
  if (value === undefined) return undefined;
  if (!(STAGES as readonly string[]).includes(value)) throw createError('BAD_USAGE', `--only must be one of ${STAGES.join(', ')} (got "${value}")`);
  return value as Stage;
}

function parseDataset(value: string): HnswDataset {
  if (!(HNSW_DATASETS as readonly string[]).includes(value)) throw createError('BAD_USAGE', `--dataset must be one of ${HNSW_DATASETS.join(', ')} (got "${value}")`);
  return value as HnswDataset;
}

/** The HNSW rows measured in separate processes, as one stage. */
function mergeHnswRows(parts: readonly StageResult[]): StageResult {
  const rows = parts.flatMap((part) => (part.stage === 'hnsw' ? part.result : []));
  const seconds = parts.reduce((sum, part) => sum + part.seconds, 0);
  const stealPercent = parts.reduce((sum, part) => sum + part.stealPercent * part.seconds, 0) / Math.max(seconds, 1e-9);
  const seedVectors = Math.max(0, ...parts.map((part) => (part.stage === 'hnsw' ? part.seedVectors : 0)));
  return { stage: 'hnsw', seedVectors, result: rows, stealPercent, seconds };
}

function parseStore(value: string | undefined): 'file' | 'postgres' {
  if (value === undefined || value === 'file' || value === 'postgres') return value ?? 'file';
  throw createError('BAD_USAGE', `--store must be file or postgres (got "${value}")`);
}

function parseSizes(value: string): number[] {
  const sizes = value.split(',').map((item) => Number(item.trim()));
  if (sizes.length === 0 || sizes.some((size) => !Number.isInteger(size) || size < 100 || size > 10_000_000)) {
    throw createError('BAD_USAGE', `--sizes takes whole numbers from 100 to 10000000, comma-separated (got "${value}")`);
  }
  return sizes;
}

/** Infinity (an unlimited count in the plan) would print as null. */
function jsonNumbers(_key: string, value: unknown): unknown {
  return value === Infinity ? 'all' : value;
}

/** Runs `bench --only <stage> --json` in a fresh Node process; its log lines are passed through to our stderr. */
function runStageInChild(stage: Stage, passOn: readonly string[], io: CliIo): Promise<StageResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', BIN, 'bench', '--only', stage, '--json', ...passOn], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderrTail = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      io.stderr(chunk);
      stderrTail = (stderrTail + chunk).slice(-2000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`bench stage ${stage} exited with code ${code}: ${stderrTail.trim().split('\n').at(-1) ?? ''}`));
        return;
      }
      try {
        const report = JSON.parse(stdout) as BenchReport;
        resolve(report.stages[0]!);
      } catch (error) {
        reject(new Error(`bench stage ${stage} printed no report: ${String(error)}`));
      }
    });
  });
}
