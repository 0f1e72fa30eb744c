import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { env } from '@xenova/transformers';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadTransformersEmbedder, type TransformersEmbedderOptions } from '../../src/embed/transformers-embedder.ts';
import { isAppError } from '../../src/errors.ts';
import { TINY_MODEL_ID } from '../support/global-setup.ts';

/**
 * The hub download path, against a stand-in for the Hugging Face hub on 127.0.0.1 that serves the tiny model
 * under the hub's URL layout (`<model>/resolve/main/<file>`): files must land in the models folder, where the
 * embedder opens the ONNX file itself, and be reused offline afterwards.
 */
let server: http.Server;
let hubUrl: string;
const requested: string[] = [];
const missingOnHub = new Set<string>();
const originalHost = env.remoteHost;

beforeAll(async () => {
  const source = path.join(inject('modelsDir'), TINY_MODEL_ID);
  server = http.createServer((request, response) => {
    const file = decodeURIComponent(request.url ?? '').replace(`/${TINY_MODEL_ID}/resolve/main/`, '');
    requested.push(file);
    const local = path.join(source, file);
    if (missingOnHub.has(file) || !fs.existsSync(local)) {
      response.writeHead(404).end('Entry not found');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(fs.readFileSync(local));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const folders: string[] = [];
afterEach(() => {
  env.remoteHost = originalHost;
  requested.length = 0;
  missingOnHub.clear();
  folders.splice(0).forEach((folder) => fs.rmSync(folder, { recursive: true, force: true }));
});

function options(allowDownload: boolean): TransformersEmbedderOptions {
  const modelsDir = folders[0] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-download-'));
  if (folders.length === 0) folders.push(modelsDir);
  return { model: TINY_MODEL_ID, modelsDir, quantized: true, allowDownload, maxTokens: 128, batchSize: 1, threads: 1, workers: 1, queryPrefix: '', passagePrefix: '' };
}

describe('loading a model from the hub', () => {
  it('downloads the files into the models folder, embeds, and loads them again with downloads off', async () => {
    env.remoteHost = hubUrl;
    const embedder = await loadTransformersEmbedder(options(true));
    expect(requested).toEqual(expect.arrayContaining(['tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx']));
    const folder = path.join(folders[0]!, TINY_MODEL_ID);
    for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx', '1_Pooling/config.json', 'modules.json']) {
      expect(fs.existsSync(path.join(folder, file)), file).toBe(true);
    }
    const vector = await embedder.embedQuery('Who presided over the meeting?');
    expect(vector.length).toBe(embedder.dimension);

    requested.length = 0;
    const offline = await loadTransformersEmbedder(options(false));
    expect(requested).toEqual([]);
    // A complete copy never touches the network, even with downloads on (the optional pooling files included).
    await loadTransformersEmbedder(options(true));
    expect(requested).toEqual([]);
    expect(Array.from(await offline.embedQuery('Who presided over the meeting?'))).toEqual(Array.from(vector));
  });

  it('treats the pooling files as optional: a hub model without them loads, and loads again without a request', async () => {
    env.remoteHost = hubUrl;
    missingOnHub.add('1_Pooling/config.json').add('modules.json');
    await loadTransformersEmbedder(options(true));
    expect(requested).toEqual(expect.arrayContaining(['1_Pooling/config.json', 'onnx/model_quantized.onnx']));
    requested.length = 0;
    await loadTransformersEmbedder(options(true));
    expect(requested).toEqual([]);
  });

  it('names the missing file when the hub does not have the ONNX model', async () => {
    env.remoteHost = hubUrl;
    missingOnHub.add('onnx/model_quantized.onnx');
    const error = await loadTransformersEmbedder(options(true)).catch((caught: unknown) => caught);
    expect(isAppError(error, 'MODEL_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toMatch(/downloading it from the Hugging Face hub failed/);
    expect((error as Error).message).toMatch(/missing files: onnx\/model_quantized\.onnx$/);
  });
});
