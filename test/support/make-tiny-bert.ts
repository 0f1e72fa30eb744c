/**
 * A tiny, deterministic, randomly initialised sentence-transformers BERT checkpoint (model.safetensors, Hugging Face
 * tokenizer files, pooling config), and the model folder `docqa import-model` makes of it. Tests run the real
 * import, tokenisation and inference offline with it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importModel } from '../../src/embed/import-model.ts';
import { bertWeightNames, type BertShape } from '../../src/embed/onnx-bert-graph.ts';
import type { Pooling } from '../../src/embed/pooling.ts';

export const TINY_SHAPE: BertShape = { hiddenSize: 32, heads: 2, layers: 2, intermediateSize: 64, vocabSize: 0, maxPositions: 128, typeVocabSize: 2, layerNormEps: 1e-12 };

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789.,!?;:\'"()-/'.split('');
const WORDS = ('the of and to a in is it you that he was for on are with as i his they be at one have this from or had by word but what some we can out other were all there when up use your how said an each she which do their time if will way about many then them write would like so these her long make thing see him two has look more day could go come did number sound no most people my over know water than call first who may down side been now find any new work part take get place made live where after back little only round man year came show every good me give our under name very through just form sentence great think say help low line differ turn cause much mean before move right boy old too same tell does set three want air well also play small end put home read hand port large spell add even land here must big high such follow act why ask men change went light kind off need house picture try us again animal point mother world near build self earth father password reset recover forgotten account login weather sunny rain paris city today steps').split(' ');
/** WordPiece vocabulary: specials, characters, ##characters, some words, and a few Han characters. */
export const TINY_VOCAB = [...new Set([...SPECIALS, ...CHARS, ...CHARS.map((c) => '##' + c), ...WORDS, ...'北京天气今日'.split('')])];

/** The tiny model's weights by Hugging Face name, in PyTorch layout (deterministic). */
export function tinyBertWeights(shape: BertShape = { ...TINY_SHAPE, vocabSize: TINY_VOCAB.length }): Map<string, Float32Array> {
  let seed = 1234567;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const randn = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const weights = new Map<string, Float32Array>();
  for (const { name, dims } of bertWeightNames(shape)) {
    const values = new Float32Array(dims.reduce((a, b) => a * b, 1));
    // Larger than BERT's 0.02 initialisation, and non-trivial LayerNorm and biases, so every weight shows in the output.
    const base = name.includes('LayerNorm.weight') ? 1 : 0;
    for (let i = 0; i < values.length; i++) values[i] = base + randn() * (name.includes('LayerNorm') || name.endsWith('.bias') ? 0.1 : 0.2);
    weights.set(name, values);
  }
  return weights;
}

/** Writes tensors as a safetensors file (F32): 8-byte header length, JSON header, raw little-endian data. */
export function writeSafetensors(file: string, tensors: ReadonlyMap<string, { dims: readonly number[]; data: Float32Array }>): void {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  for (const [name, { dims, data }] of tensors) {
    header[name] = { dtype: 'F32', shape: dims, data_offsets: [offset, offset + data.byteLength] };
    offset += data.byteLength;
  }
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  fs.writeFileSync(file, Buffer.concat([length, json, ...[...tensors.values()].map(({ data }) => Buffer.from(data.buffer, data.byteOffset, data.byteLength))]));
}

/**
 * Writes the checkpoint folder as sentence-transformers saves one. `prefix` "bert." mimics BertFor* checkpoints.
 * `largeRows` makes the [CLS] word embedding 5× and position 0's 20× larger than the other rows, as they are in
 * all-MiniLM-L6-v2 (row maxima 1.05 and 1.87 against a median of 0.18 and 0.08).
 */
export function writeTinyCheckpoint(out: string, options: { pooling?: Pooling; prefix?: string; tokenizer?: 'wordpiece' | 'xlm-roberta'; largeRows?: boolean } = {}): void {
  const xlmr = options.tokenizer === 'xlm-roberta';
  // Multilingual e5 and paraphrase-multilingual-MiniLM are BERT encoders with XLM-R's SentencePiece tokenizer
  // (pad id 1, a 512-token window): the same graph, another tokenizer and more positions.
  const shape = xlmr ? { ...TINY_SHAPE, vocabSize: TINY_XLMR_PIECES.length, maxPositions: 514 } : { ...TINY_SHAPE, vocabSize: TINY_VOCAB.length };
  const weights = tinyBertWeights(shape);
  if (options.largeRows) {
    scaleRow(weights.get('embeddings.word_embeddings.weight')!, shape.hiddenSize, TINY_VOCAB.indexOf('[CLS]'), 5);
    scaleRow(weights.get('embeddings.position_embeddings.weight')!, shape.hiddenSize, 0, 20);
  }
  fs.mkdirSync(path.join(out, '1_Pooling'), { recursive: true });
  const tensors = new Map(bertWeightNames(shape).map(({ name, dims }) => [(options.prefix ?? '') + name, { dims, data: weights.get(name)! }]));
  writeSafetensors(path.join(out, 'model.safetensors'), tensors);
  const json = (file: string, value: unknown) => fs.writeFileSync(path.join(out, file), JSON.stringify(value, null, 2));
  json('config.json', {
    model_type: 'bert', architectures: ['BertModel'], hidden_size: shape.hiddenSize, num_attention_heads: shape.heads,
    num_hidden_layers: shape.layers, intermediate_size: shape.intermediateSize, hidden_act: 'gelu', vocab_size: shape.vocabSize,
    max_position_embeddings: shape.maxPositions, type_vocab_size: shape.typeVocabSize, layer_norm_eps: shape.layerNormEps, pad_token_id: xlmr ? 1 : 0,
  });
  json('modules.json', [
    { idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' },
    { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
    { idx: 2, name: '2', path: '2_Normalize', type: 'sentence_transformers.models.Normalize' },
  ]);
  const pooling = options.pooling ?? 'mean';
  json('1_Pooling/config.json', {
    word_embedding_dimension: shape.hiddenSize, pooling_mode_cls_token: pooling === 'cls', pooling_mode_mean_tokens: pooling === 'mean',
    pooling_mode_max_tokens: false, pooling_mode_mean_sqrt_len_tokens: false,
  });
  json('sentence_bert_config.json', { max_seq_length: xlmr ? 512 : 128, do_lower_case: false });
  if (xlmr) {
    writeXlmRobertaTokenizer(out);
    return;
  }
  json('tokenizer_config.json', {
    tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: 512,
    cls_token: '[CLS]', sep_token: '[SEP]', unk_token: '[UNK]', pad_token: '[PAD]', mask_token: '[MASK]',
  });
  const vocab = Object.fromEntries(TINY_VOCAB.map((token, id) => [token, id]));
  const special = (token: string) => ({ id: token, ids: [vocab[token]], tokens: [token] });
  fs.writeFileSync(path.join(out, 'tokenizer.json'), JSON.stringify({
    version: '1.0', truncation: null, padding: null,
    added_tokens: SPECIALS.map((t) => ({ id: vocab[t], content: t, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } }],
      special_tokens: { '[CLS]': special('[CLS]'), '[SEP]': special('[SEP]') },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  }));
}

function scaleRow(table: Float32Array, width: number, row: number, by: number): void {
  for (let i = row * width; i < (row + 1) * width; i++) table[i]! *= by;
}

/**
 * SentencePiece (Unigram) pieces of the tiny XLM-R-style tokenizer: XLM-R's four specials at their ids, whole
 * words scored far above single characters (so a text made of these words tokenises to them, predictably), and
 * the characters as a fallback.
 */
export const TINY_XLMR_PIECES: readonly (readonly [string, number])[] = [
  ['<s>', 0], ['<pad>', 0], ['</s>', 0], ['<unk>', 0],
  ...['query', 'passage', 'How', 'is', 'the', 'weather', 'in', 'Paris', 'today', 'It', 'sunny', 'word'].map((word) => [`\u2581${word}`, -2] as const),
  [':', -3], ['?', -3], ['.', -3], ['\u2581', -4],
  ...[...new Set('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ北京天气今日'.split(''))].map((char) => [char, -8] as const),
];

function writeXlmRobertaTokenizer(out: string): void {
  const json = (file: string, value: unknown) => fs.writeFileSync(path.join(out, file), JSON.stringify(value, null, 2));
  json('tokenizer_config.json', {
    tokenizer_class: 'XLMRobertaTokenizer', model_max_length: 512,
    bos_token: '<s>', eos_token: '</s>', cls_token: '<s>', sep_token: '</s>', unk_token: '<unk>', pad_token: '<pad>', mask_token: '<mask>',
  });
  const special = (content: string, id: number) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  json('tokenizer.json', {
    version: '1.0', truncation: null, padding: null,
    added_tokens: ['<s>', '<pad>', '</s>', '<unk>'].map((token, id) => special(token, id)),
    normalizer: null,
    pre_tokenizer: { type: 'Metaspace', replacement: '\u2581', add_prefix_space: true },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
      pair: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }, { Sequence: { id: 'B', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
      special_tokens: { '<s>': { id: '<s>', ids: [0], tokens: ['<s>'] }, '</s>': { id: '</s>', ids: [2], tokens: ['</s>'] } },
    },
    decoder: { type: 'Metaspace', replacement: '\u2581', add_prefix_space: true },
    model: { type: 'Unigram', unk_id: 3, vocab: TINY_XLMR_PIECES, byte_fallback: false },
  });
}

/** Writes the imported tiny model into `out` (config, tokenizer, pooling, onnx/model.onnx and model_quantized.onnx). */
export function writeTinyBert(out: string, options: Parameters<typeof writeTinyCheckpoint>[1] = {}): void {
  const checkpoint = fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-tiny-checkpoint-'));
  try {
    writeTinyCheckpoint(checkpoint, options);
    importModel(checkpoint, out);
  } finally {
    fs.rmSync(checkpoint, { recursive: true, force: true });
  }
}
