/**
 * Compares the imported model's embeddings (fp32 and int8, through the bot's own embedder) with the independent
 * NumPy forward pass in bert_numpy_reference.py, on English and Chinese XQuAD questions and paragraphs, short
 * texts and texts longer than the 256-token window. Prints cosine similarity per group. A measurement script for
 * docs/evaluation.md, not a test (it needs the real weights and Python):
 *
 *   node --import tsx test/reference/compare-embeddings.ts <checkpoint folder> <imported model folder> <xquad dir>
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadTransformersEmbedder } from '../../src/embed/transformers-embedder.ts';
import { readSquad } from '../../src/tools/shared/squad.ts';

const [checkpoint, imported, xquad] = process.argv.slice(2);
if (!checkpoint || !imported || !xquad) throw new Error('usage: compare-embeddings.ts <checkpoint> <imported model folder> <xquad dir>');

const en = readSquad(path.join(xquad, 'xquad.en.json'));
const zh = readSquad(path.join(xquad, 'xquad.zh.json'));
const long = (paragraphs: readonly { text: string }[], start: number) => Array.from({ length: 15 }, (_, i) => paragraphs.slice(start + 3 * i, start + 3 * i + 3).map((p) => p.text).join(' '));
const groups: Record<string, string[]> = {
  'English questions': en.questions.slice(0, 400).filter((_, i) => i % 5 === 0).map((q) => q.question),
  'English paragraphs': en.paragraphs.slice(0, 40).map((p) => p.text),
  'Chinese questions': zh.questions.slice(0, 300).filter((_, i) => i % 5 === 0).map((q) => q.question),
  'Chinese paragraphs': zh.paragraphs.slice(0, 30).map((p) => p.text),
  short: ['a', 'Hi', '?', '2024', 'Paris', '你好', '北京', 'reset password', 'Why?', 'Café déjà vu', 'ÅÄÖ', '🙂 ok'],
  'over 256 tokens (truncated)': [...long(en.paragraphs, 100), ...long(zh.paragraphs, 150)],
};
const texts = Object.values(groups).flat();

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-compare-'));
fs.writeFileSync(path.join(work, 'texts.json'), JSON.stringify(texts));
const started = performance.now();
execFileSync('python3', [path.join(import.meta.dirname, 'bert_numpy_reference.py'), checkpoint, path.join(work, 'texts.json'), path.join(work, 'ref.json')], { stdio: 'inherit', env: { ...process.env, OPENBLAS_NUM_THREADS: '1' } });
const reference: number[][] = JSON.parse(fs.readFileSync(path.join(work, 'ref.json'), 'utf8'));
console.log(`NumPy reference: ${texts.length} texts in ${((performance.now() - started) / 1000).toFixed(0)} s`);

const options = { modelsDir: path.dirname(imported), allowDownload: false, maxTokens: 256, batchSize: 1, threads: 1, workers: 1, queryPrefix: '', passagePrefix: '' };
const fp32 = await loadTransformersEmbedder({ ...options, model: path.resolve(imported), quantized: false });
const int8 = await loadTransformersEmbedder({ ...options, model: path.resolve(imported), quantized: true });
const fp32Vectors = await fp32.embedPassages(texts);
const int8Vectors = await int8.embedPassages(texts);
const tokens = groups['over 256 tokens (truncated)']!.map((text) => fp32.countTokens(text));

const cosine = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) { dot += a[i]! * b[i]!; na += a[i]! * a[i]!; nb += b[i]! * b[i]!; }
  return dot / Math.sqrt(na * nb);
};
const summary = (values: number[]) => `min ${Math.min(...values).toFixed(7)}, mean ${(values.reduce((a, b) => a + b, 0) / values.length).toFixed(7)}`;
console.log(`| texts | n | fp32 vs NumPy | int8 vs fp32 | int8 vs NumPy |\n| --- | --- | --- | --- | --- |`);
let offset = 0;
for (const [name, group] of [...Object.entries(groups), ['all', texts] as const]) {
  const range = name === 'all' ? [0, texts.length] : [offset, offset + group.length];
  if (name !== 'all') offset += group.length;
  const f: number[] = [], q: number[] = [], r: number[] = [];
  for (let i = range[0]!; i < range[1]!; i++) {
    f.push(cosine(fp32Vectors[i]!, reference[i]!));
    q.push(cosine(int8Vectors[i]!, fp32Vectors[i]!));
    r.push(cosine(int8Vectors[i]!, reference[i]!));
  }
  if (name === 'all') console.log(`(all: largest 1 − cosine, fp32 vs NumPy: ${Math.max(...f.map((c) => 1 - c)).toExponential(2)})`);
  console.log(`| ${name} | ${group.length} | ${summary(f)} | ${summary(q)} | ${summary(r)} |`);
}
console.log(`Truncated texts: ${Math.min(...tokens)}–${Math.max(...tokens)} tokens before truncation to 256.`);
fs.rmSync(work, { recursive: true, force: true });
