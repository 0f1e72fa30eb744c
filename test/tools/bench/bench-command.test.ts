import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { inject, describe, expect, it } from 'vitest';
import { formatBenchReport, type BenchReport } from '../../../src/tools/bench/bench-report.ts';
import { DEFAULT_XQUAD_FILE } from '../../../src/tools/shared/xquad.ts';
import { makeDataDir } from '../../support/engine-fixture.ts';
import { TINY_MODEL_ID } from '../../support/global-setup.ts';

const XQUAD = path.resolve(DEFAULT_XQUAD_FILE);

/** Runs the real `docqa` binary, as a user would; the bench model is generated into the run's temporary models folder. */
function docqa(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['src/bin.mjs', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: makeDataDir(), MODELS_DIR: inject('modelsDir'), LOG_LEVEL: 'info', ...env },
    encoding: 'utf8',
    timeout: 290_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('docqa bench', () => {
  it('rejects an unknown stage and bad sizes as usage errors', () => {
    expect(docqa(['bench', '--only', 'gpu'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--only must be one of model, hnsw, e2e, highlight/) });
    expect(docqa(['bench', '--sizes', '10k'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--sizes takes whole numbers/) });
  });

  it.skipIf(!fs.existsSync(XQUAD))('--quick --json measures every stage on small data and prints one report', { timeout: 300_000 }, () => {
    const { code, stdout, stderr } = docqa(['bench', '--quick', '--json']);
    expect(stderr).toMatch(/generated .*bench\/minilm-shape/);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as BenchReport;
    expect(report.machine).toMatchObject({ cores: expect.any(Number), node: process.version, cpuModel: expect.any(String) });
    expect(report.stages.map((stage) => stage.stage)).toEqual(['model', 'hnsw', 'e2e', 'highlight']);

    const [model, hnsw, e2e, highlight] = report.stages;
    if (model?.stage !== 'model' || hnsw?.stage !== 'hnsw' || e2e?.stage !== 'e2e' || highlight?.stage !== 'highlight') throw new Error('stages out of order');
    expect(fs.existsSync(path.join(model.model.folder, 'onnx', 'model_quantized.onnx'))).toBe(true);
    expect(model.result.throughput.map((row) => `${row.variant}/${row.batchSize}`)).toEqual(['fp32/1', 'fp32/8', 'int8/1', 'int8/8']);
    for (const row of model.result.throughput) expect(row.paragraphsPerSecond).toBeGreaterThan(0);
    expect(model.result.queryLatency.map((row) => row.variant)).toEqual(['fp32', 'int8']);

    expect(hnsw.result.map((row) => `${row.dataset}/${row.size}`)).toEqual(['embedding-like/2000', 'sentence-mixture/2000', 'random/2000']);
    for (const row of hnsw.result) {
      expect(row.sweep.map((ef) => ef.ef)).toEqual([50, 75, 100, 150, 200, 400]);
      for (const ef of row.sweep) expect(ef.recallAtK).toBeGreaterThanOrEqual(0);
      // More candidates never find fewer true neighbours on the same graph.
      expect(row.sweep.at(-1)!.recallAtK).toBeGreaterThanOrEqual(row.sweep[0]!.recallAtK);
      expect(row.fileBytes).toBeGreaterThan(2000 * 384 * 4);
    }

    expect(e2e.result).toMatchObject({ size: 2000, queries: 20, candidates: 50 });
    expect(e2e.result.total.p50).toBeGreaterThan(0);

    // No EMBEDDING_MODEL on disk here: the bench model (same shape) stands in for it.
    expect(highlight.result).toMatchObject({ questions: 20, model: { id: expect.stringContaining('bench/minilm-shape') } });
    expect(highlight.result.meanSentences).toBeGreaterThan(3);
    expect(highlight.result.model!.p95Ms).toBeGreaterThanOrEqual(highlight.result.model!.p50Ms);

    const text = formatBenchReport(report);
    for (const heading of ['## Model', 'Indexing throughput', 'Query embedding latency', '## HNSW at scale', 'Recall@10', '## End to end', '## Highlight']) {
      expect(text).toContain(heading);
    }
  });

  it.skipIf(!fs.existsSync(XQUAD))('--configured-model times EMBEDDING_MODEL from MODELS_DIR in the model stage, and says so', { timeout: 120_000 }, () => {
    const { code, stdout, stderr } = docqa(['bench', '--only', 'model', '--quick', '--configured-model', '--json'], { EMBEDDING_MODEL: TINY_MODEL_ID });
    expect(stderr).not.toMatch(/bench\/minilm-shape/);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as BenchReport;
    const [model] = report.stages;
    if (model?.stage !== 'model') throw new Error('no model stage');
    expect(model.model).toMatchObject({ id: TINY_MODEL_ID, folder: path.join(inject('modelsDir'), TINY_MODEL_ID), generatedSeconds: null });
    expect(model.result.throughput.map((row) => `${row.variant}/${row.batchSize}`)).toEqual(['fp32/1', 'fp32/8', 'int8/1', 'int8/8']);
    expect(formatBenchReport(report)).toContain(`## Model: ${TINY_MODEL_ID} (EMBEDDING_MODEL)`);
  });

  it('--configured-model names the missing model instead of timing another one', () => {
    const { code, stderr } = docqa(['bench', '--only', 'model', '--quick', '--configured-model'], { EMBEDDING_MODEL: 'local/not-imported' });
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/Cannot load embedding model "local\/not-imported".*--configured-model.*missing files: config\.json/);
  });
});
