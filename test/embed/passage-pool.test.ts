import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { onnxModelFile } from '../../src/embed/model-location.ts';
import { PassagePool } from '../../src/embed/passage-pool.ts';
import { loadTransformersEmbedder, type TransformersEmbedderOptions } from '../../src/embed/transformers-embedder.ts';
import { TINY_MODEL_ID } from '../support/global-setup.ts';

const options = (workers: number): TransformersEmbedderOptions => ({
  model: TINY_MODEL_ID,
  modelsDir: inject('modelsDir'),
  quantized: true,
  allowDownload: false,
  maxTokens: 128,
  batchSize: 1,
  threads: 1,
  workers,
  queryPrefix: '',
  passagePrefix: '',
});

// Different lengths, so that sorting by length reorders them and the results must be put back in place.
const TEXTS = Array.from({ length: 40 }, (_, i) => `Paragraph ${i} about ${'the provincial executive meeting '.repeat(1 + (i * 7) % 5)}and item ${i}.`);

describe('embedding passages in worker processes', () => {
  it('gives exactly the vectors of embedding in this process, in the order of the texts', async () => {
    const inProcess = await loadTransformersEmbedder(options(1));
    const pooled = await loadTransformersEmbedder(options(2));
    const expected = await inProcess.embedPassages(TEXTS);
    const vectors = await pooled.embedPassages(TEXTS);
    expect(vectors.map((vector) => Array.from(vector))).toEqual(expected.map((vector) => Array.from(vector)));
    // Later calls, also side by side, reuse the running workers.
    const [reversed, tail] = await Promise.all([pooled.embedPassages(TEXTS.slice().reverse()), pooled.embedPassages(TEXTS.slice(5))]);
    expect(reversed.map((vector) => Array.from(vector))).toEqual(expected.slice().reverse().map((vector) => Array.from(vector)));
    expect(tail.map((vector) => Array.from(vector))).toEqual(expected.slice(5).map((vector) => Array.from(vector)));
  });

  it('fails the batch with a clear error when a worker dies, instead of hanging', async () => {
    const file = path.join(inject('modelsDir'), TINY_MODEL_ID, onnxModelFile(true));
    const pool = await PassagePool.start(2, file, 0n, 'mean');
    try {
      const batches = Array.from({ length: 200 }, (_, i) => [[2, 10 + (i % 200), 3]]);
      expect((await pool.embed(batches.slice(0, 4))).length).toBe(4);
      const running = pool.embed(batches);
      process.kill(pool.processIds[1]!, 'SIGKILL');
      await expect(running).rejects.toThrow(/an embedding worker exited \(SIGKILL\)|no longer running/);
      await expect(pool.embed(batches.slice(0, 2))).rejects.toThrow(/no longer running|exited/);
    } finally {
      pool.close();
    }
  });

  it('reports a model file the workers cannot open', async () => {
    await expect(PassagePool.start(1, '/nonexistent/model.onnx', 0n, 'mean')).rejects.toThrow(/an embedding worker failed: .*model\.onnx/);
  });
});
