import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importModel, modelImportTarget } from '../../src/embed/import-model.ts';
import { onnxModelFile } from '../../src/embed/model-location.ts';
import { encodeBatch, openOnnxEncoder } from '../../src/embed/onnx-encoder.ts';
import { readPoolingRecord } from '../../src/embed/pooling.ts';
import { loadTransformersEmbedder } from '../../src/embed/transformers-embedder.ts';
import { isAppError } from '../../src/errors.ts';
import { bertForward, poolUnit } from '../support/bert-forward.ts';
import { TINY_SHAPE, TINY_VOCAB, tinyBertWeights, writeTinyCheckpoint } from '../support/make-tiny-bert.ts';

const shape = { ...TINY_SHAPE, vocabSize: TINY_VOCAB.length };
const weights = tinyBertWeights(shape);
const id = (token: string) => TINY_VOCAB.indexOf(token);
/** Token-id rows of different lengths, so a batch carries padding. */
const ROWS = [
  ['[CLS]', 'the', 'weather', 'today', '[SEP]'],
  ['[CLS]', 'how', 'do', 'i', 'reset', 'my', 'password', '?', '[SEP]'],
  ['[CLS]', '北', '京', '天', '气', '[SEP]'],
  ['[CLS]', '[SEP]'],
].map((row) => row.map(id));

const folders: string[] = [];
afterEach(() => folders.splice(0).forEach((folder) => fs.rmSync(folder, { recursive: true, force: true })));
function temp(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-import-'));
  folders.push(folder);
  return folder;
}
function imported(options: Parameters<typeof writeTinyCheckpoint>[1] = {}): string {
  const work = temp();
  writeTinyCheckpoint(path.join(work, 'checkpoint'), options);
  importModel(path.join(work, 'checkpoint'), path.join(work, 'models', 'local', 'tiny'));
  return path.join(work, 'models', 'local', 'tiny');
}
const cosine = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) { dot += a[i]! * b[i]!; na += a[i]! * a[i]!; nb += b[i]! * b[i]!; }
  return dot / Math.sqrt(na * nb);
};
async function onnxVectors(folder: string, quantized: boolean, pooling: 'mean' | 'cls') {
  const encoder = await openOnnxEncoder(path.join(folder, onnxModelFile(quantized)), 1, 0n, pooling);
  return encodeBatch(encoder, ROWS);
}

describe('docqa import-model', () => {
  it('writes an fp32 ONNX model whose batched, padded output matches a plain forward pass of the checkpoint', async () => {
    const folder = imported();
    const vectors = await onnxVectors(folder, false, 'mean');
    ROWS.forEach((ids, row) => {
      const expected = poolUnit(bertForward(shape, weights, ids), 'mean');
      expect(cosine(vectors[row]!, expected)).toBeGreaterThan(0.99999);
      expect(Math.max(...expected.map((v, d) => Math.abs(v - vectors[row]![d]!)))).toBeLessThan(1e-4);
    });
  });

  it('writes an int8 model close to fp32, with its weight MatMuls quantised, even when a few embedding rows are much larger', async () => {
    // transformers.js's per-tensor embedding scale gives 0.9958-0.9979 on these rows; a scale per row 0.9994 or more.
    const folder = imported({ largeRows: true });
    const int8 = await onnxVectors(folder, true, 'mean');
    const fp32 = await onnxVectors(folder, false, 'mean');
    ROWS.forEach((_, row) => expect(cosine(int8[row]!, fp32[row]!)).toBeGreaterThan(0.999));
    const bytes = fs.readFileSync(path.join(folder, onnxModelFile(true)));
    expect(bytes.includes('MatMulInteger')).toBe(true);
    expect(bytes.length).toBeLessThan(fs.statSync(path.join(folder, onnxModelFile(false))).size / 2);
  });

  it('records the pooling and the embedder honours CLS pooling', async () => {
    const folder = imported({ pooling: 'cls', prefix: 'bert.' });
    expect(readPoolingRecord(folder)).toEqual({ pooling: 'cls', normalize: true });
    expect(JSON.parse(fs.readFileSync(path.join(folder, 'tokenizer_config.json'), 'utf8')).model_max_length).toBe(128);
    const embedder = await loadTransformersEmbedder({
      model: folder, modelsDir: path.dirname(folder), quantized: false, allowDownload: false, maxTokens: 128,
      batchSize: 1, threads: 1, workers: 1, queryPrefix: '', passagePrefix: '',
    });
    const vector = await embedder.embedQuery('the weather today');
    const tokens = bertForward(shape, weights, ROWS[0]!);
    expect(cosine(vector, poolUnit(tokens, 'cls'))).toBeGreaterThan(0.99999);
    expect(cosine(vector, poolUnit(tokens, 'mean'))).toBeLessThan(0.99);
  });

  it('fails with one line for missing files, another architecture, a truncated safetensors file or max pooling', () => {
    const work = temp();
    const checkpoint = path.join(work, 'checkpoint');
    const target = path.join(work, 'out');
    const failure = (edit: () => void) => {
      fs.rmSync(checkpoint, { recursive: true, force: true });
      writeTinyCheckpoint(checkpoint);
      edit();
      try {
        importModel(checkpoint, target);
      } catch (error) {
        expect(isAppError(error, 'MODEL_IMPORT_FAILED')).toBe(true);
        expect((error as Error).message).not.toContain('\n');
        return (error as Error).message;
      }
      throw new Error('the import did not fail');
    };
    expect(failure(() => fs.rmSync(path.join(checkpoint, '1_Pooling'), { recursive: true }))).toMatch(/not a sentence-transformers checkpoint: missing 1_Pooling\/config\.json$/);
    const config = path.join(checkpoint, 'config.json');
    expect(failure(() => fs.writeFileSync(config, JSON.stringify({ ...JSON.parse(fs.readFileSync(config, 'utf8')), model_type: 'xlm-roberta' })))).toMatch(/model_type "xlm-roberta" is not supported/);
    const weightsFile = path.join(checkpoint, 'model.safetensors');
    expect(failure(() => fs.truncateSync(weightsFile, fs.statSync(weightsFile).size - 100))).toMatch(/not a complete safetensors file: tensor .* ends at byte \d+ but the file has \d+ \(truncated\?\)/);
    expect(failure(() => fs.truncateSync(weightsFile, 50))).toMatch(/the header says \d+ bytes but the file has 50 \(truncated\?\)/);
    const pooling = path.join(checkpoint, '1_Pooling/config.json');
    expect(failure(() => fs.writeFileSync(pooling, JSON.stringify({ pooling_mode_max_tokens: true })))).toMatch(/pooling pooling_mode_max_tokens; only mean or CLS/);
    expect(fs.existsSync(target)).toBe(false);
  });

  it('keeps model ids inside the models folder', () => {
    expect(modelImportTarget('/models', 'local/all-MiniLM-L6-v2')).toBe(path.join('/models', 'local/all-MiniLM-L6-v2'));
    for (const bad of ['../x', 'a/b/c', '/abs', 'a/..', '']) expect(() => modelImportTarget('/models', bad)).toThrow(/is not a model name/);
  });
});
