import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { env } from '@xenova/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/embed/embedder.ts';
import { loadTransformersEmbedder, type TransformersEmbedderOptions } from '../../src/embed/transformers-embedder.ts';
import { bertForward, poolUnit } from '../support/bert-forward.ts';
import { TINY_SHAPE, TINY_XLMR_PIECES, tinyBertWeights, writeTinyBert } from '../support/make-tiny-bert.ts';

/**
 * What the recommended multilingual models are (multilingual-e5-small, paraphrase-multilingual-MiniLM-L12-v2): BERT
 * encoders with XLM-R's SentencePiece tokenizer (`<s>` 0, `<pad>` 1, `</s>` 2), a 512-token window, e5's
 * "query: " / "passage: " prefixes, mean or CLS pooling. A tiny one of that kind, served by a stand-in hub on
 * 127.0.0.1, must download, tokenise and embed exactly as a forward pass written from its weights says.
 */
const MODEL_ID = 'test/tiny-xlmr-style';
const SHAPE = { ...TINY_SHAPE, vocabSize: TINY_XLMR_PIECES.length, maxPositions: 514 };
const weights = tinyBertWeights(SHAPE);
const pieceId = (piece: string) => {
  const id = TINY_XLMR_PIECES.findIndex(([text]) => text === piece);
  if (id < 0) throw new Error(`no piece ${piece}`);
  return id;
};
/** `<s>`, the pieces, `</s>`: SentencePiece marks a word start with ▁. */
const ids = (...pieces: string[]) => [0, ...pieces.map(pieceId), 2];
const expected = (tokenIds: readonly number[], pooling: 'mean' | 'cls') => poolUnit(bertForward(SHAPE, weights, tokenIds), pooling);

let server: http.Server;
const originalHost = env.remoteHost;
const folders: string[] = [];

beforeAll(async () => {
  const hubFiles = fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-xlmr-hub-'));
  folders.push(hubFiles);
  writeTinyBert(path.join(hubFiles, 'mean'), { tokenizer: 'xlm-roberta', pooling: 'mean' });
  writeTinyBert(path.join(hubFiles, 'cls'), { tokenizer: 'xlm-roberta', pooling: 'cls' });
  server = http.createServer((request, response) => {
    const match = /^\/test\/tiny-xlmr-style-(mean|cls)\/resolve\/main\/(.+)$/.exec(decodeURIComponent(request.url ?? ''));
    const local = match ? path.join(hubFiles, match[1]!, match[2]!) : '';
    if (!match || !fs.existsSync(local)) return void response.writeHead(404).end('Entry not found');
    response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(fs.readFileSync(local));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  env.remoteHost = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  env.remoteHost = originalHost;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
});

async function load(pooling: 'mean' | 'cls', quantized = false): Promise<Embedder> {
  const modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-xlmr-models-'));
  folders.push(modelsDir);
  const options: TransformersEmbedderOptions = {
    model: `${MODEL_ID}-${pooling}`, modelsDir, quantized, allowDownload: true, maxTokens: 512, batchSize: 4, threads: 1, workers: 1,
    queryPrefix: 'query: ', passagePrefix: 'passage: ',
  };
  return loadTransformersEmbedder(options);
}

const cosine = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
};

describe('a multilingual (XLM-R tokenizer) model from the hub', () => {
  it('embeds a question with the query prefix, SentencePiece pieces and mean pooling, as its weights say', async () => {
    const embedder = await load('mean');
    const vector = await embedder.embedQuery('How is the weather in Paris?');
    const reference = expected(ids('\u2581query', ':', '\u2581How', '\u2581is', '\u2581the', '\u2581weather', '\u2581in', '\u2581Paris', '?'), 'mean');
    expect(cosine(vector, reference)).toBeGreaterThan(0.9999);
    // Without the prefix the vector differs: the prefix really is part of what is embedded.
    expect(cosine(vector, expected(ids('\u2581How', '\u2581is', '\u2581the', '\u2581weather', '\u2581in', '\u2581Paris', '?'), 'mean'))).toBeLessThan(0.999);
    await embedder.close();
  });

  it('pools the first token when the model says CLS, and uses the passage prefix for passages', async () => {
    const embedder = await load('cls');
    const [vector] = await embedder.embedPassages(['It is sunny in Paris today.']);
    const reference = expected(ids('\u2581passage', ':', '\u2581It', '\u2581is', '\u2581sunny', '\u2581in', '\u2581Paris', '\u2581today', '.'), 'cls');
    expect(cosine(vector!, reference)).toBeGreaterThan(0.9999);
    await embedder.close();
  });

  it('truncates at the 512-token window, keeping the closing </s>, and gives the splitter the budget left', async () => {
    const embedder = await load('mean');
    // "passage: " is two pieces before a text, plus <s> and </s>: 508 pieces of text fit. Counted alone, its
    // trailing space is a third piece: the budget may be one short, never over.
    expect(embedder.maxTokens).toBeGreaterThanOrEqual(512 - 2 - 3);
    expect(embedder.maxTokens).toBeLessThanOrEqual(512 - 2 - 2);
    const words = Array.from({ length: 600 }, () => 'word').join(' ');
    const [vector] = await embedder.embedPassages([words]);
    const window = [0, pieceId('\u2581passage'), pieceId(':'), ...Array.from({ length: 508 }, () => pieceId('\u2581word')), 2];
    expect(window).toHaveLength(512);
    expect(cosine(vector!, expected(window, 'mean'))).toBeGreaterThan(0.9999);
    await embedder.close();
  }, 60_000);

  it('gives the same vectors batched with padding (<pad> is id 1) as one at a time, int8 close to fp32', async () => {
    const fp32 = await load('mean');
    const texts = ['It is sunny', 'How is the weather in Paris today?', 'Paris'];
    const batched = await fp32.embedPassages(texts);
    for (const [i, text] of texts.entries()) {
      const [alone] = await fp32.embedPassages([text]);
      expect(cosine(batched[i]!, alone!)).toBeGreaterThan(0.99999);
    }
    const int8 = await load('mean', true);
    const quantized = await int8.embedPassages(texts);
    for (const [i] of texts.entries()) expect(cosine(quantized[i]!, batched[i]!)).toBeGreaterThan(0.95);
    await Promise.all([fp32.close(), int8.close()]);
  });
});
