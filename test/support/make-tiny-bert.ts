// @ts-nocheck -- a port of shared/reference/make-tiny-bert.mjs, kept close to the original for easy comparison.
/**
 * Writes a tiny, deterministic, randomly initialised BERT (ONNX) with Hugging Face tokenizer files into `out`,
 * so tests run the real transformers.js loading, tokenisation and inference offline:
 * `<out>/{config.json,tokenizer.json,tokenizer_config.json,onnx/model.onnx,onnx/model_quantized.onnx}`.
 */
import fs from 'node:fs';
import path from 'node:path';
import onnxProto from 'onnx-proto';
const { onnx } = onnxProto;

export function writeTinyBert(out: string): void {
  const H = 32, NH = 2, DH = H / NH, L = 2, FF = 64, MAXPOS = 128, TYPES = 2;

  // ---- vocab (WordPiece): specials, chars, ##chars, some words
  const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
  const chars = 'abcdefghijklmnopqrstuvwxyz0123456789.,!?;:\'"()-/'.split('');
  const words = ('the of and to a in is it you that he was for on are with as i his they be at one have this from or had by word but what some we can out other were all there when up use your how said an each she which do their time if will way about many then them write would like so these her long make thing see him two has look more day could go come did number sound no most people my over know water than call first who may down side been now find any new work part take get place made live where after back little only round man year came show every good me give our under name very through just form sentence great think say help low line differ turn cause much mean before move right boy old too same tell does set three want air well also play small end put home read hand port large spell add even land here must big high such follow act why ask men change went light kind off need house picture try us again animal point mother world near build self earth father password reset recover forgotten account login weather sunny rain paris city today steps').split(' ');
  const vocab = [...new Set([...specials, ...chars, ...chars.map(c => '##' + c), ...words])];
  const vocabMap = Object.fromEntries(vocab.map((t, i) => [t, i]));
  const V = vocab.length;

  // ---- deterministic RNG (so tests are reproducible)
  let seed = 1234567;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const randn = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const F = onnx.TensorProto.DataType.FLOAT, I64 = onnx.TensorProto.DataType.INT64;

  const inits = [], nodes = [];
  const fTensor = (name, dims, fill) => {
    const n = dims.reduce((a, b) => a * b, 1);
    const arr = new Float32Array(n);
    for (let i = 0; i < n; i++) arr[i] = fill === 'ones' ? 1 : fill === 'zeros' ? 0 : randn() * 0.02;
    inits.push({ name, dims, dataType: F, rawData: new Uint8Array(arr.buffer) });
    return name;
  };
  const iTensor = (name, dims, vals) => { inits.push({ name, dims, dataType: I64, int64Data: vals }); return name; };
  const sTensor = (name, v) => { inits.push({ name, dims: [], dataType: F, floatData: [v] }); return name; };
  let k = 0;
  const node = (op, inputs, attrs = {}, outName) => {
    const o = outName ?? `${op}_${k++}`;
    const attribute = Object.entries(attrs).map(([name, v]) =>
      Array.isArray(v) ? { name, type: onnx.AttributeProto.AttributeType.INTS, ints: v }
        : Number.isInteger(v) ? { name, type: onnx.AttributeProto.AttributeType.INT, i: v }
        : { name, type: onnx.AttributeProto.AttributeType.FLOAT, f: v });
    nodes.push({ opType: op, input: inputs, output: [o], name: o, attribute });
    return o;
  };
  const linear = (x, pre, din, dout) => node('Add', [node('MatMul', [x, fTensor(pre + '.w', [din, dout])]), fTensor(pre + '.b', [dout], 'zeros')]);
  const layerNorm = (x, pre) => node('LayerNormalization', [x, fTensor(pre + '.g', [H], 'ones'), fTensor(pre + '.beta', [H], 'zeros')], { axis: -1, epsilon: 1e-12 });

  // embeddings
  const seqLen = node('Gather', [node('Shape', ['input_ids']), iTensor('one_idx', [], [1])], { axis: 0 });
  const posIds = node('Range', [iTensor('zero_i', [], [0]), seqLen, iTensor('one_i', [], [1])]);
  let x = node('Add', [node('Add', [node('Gather', [fTensor('emb.word', [V, H]), 'input_ids']), node('Gather', [fTensor('emb.pos', [MAXPOS, H]), posIds])]),
    node('Gather', [fTensor('emb.type', [TYPES, H]), 'token_type_ids'])]);
  x = layerNorm(x, 'emb.ln');
  // additive attention mask [B,1,1,S]
  const m = node('Cast', ['attention_mask'], { to: F });
  const maskAdd = node('Unsqueeze', [node('Mul', [node('Sub', [sTensor('one_f', 1), m]), sTensor('neg_big', -10000)]), iTensor('ax12', [2], [1, 2])]);
  const headShape = iTensor('head_shape', [4], [0, 0, NH, DH]), mergeShape = iTensor('merge_shape', [3], [0, 0, H]);
  for (let l = 0; l < L; l++) {
    const p = `layer${l}`;
    const split = (t, perm) => node('Transpose', [node('Reshape', [t, headShape])], { perm });
    const q = split(linear(x, p + '.q', H, H), [0, 2, 1, 3]);
    const kT = split(linear(x, p + '.k', H, H), [0, 2, 3, 1]);
    const v = split(linear(x, p + '.v', H, H), [0, 2, 1, 3]);
    const scores = node('Add', [node('Mul', [node('MatMul', [q, kT]), sTensor(p + '.scale', 1 / Math.sqrt(DH))]), maskAdd]);
    const ctx = node('Reshape', [node('Transpose', [node('MatMul', [node('Softmax', [scores], { axis: -1 }), v])], { perm: [0, 2, 1, 3] }), mergeShape]);
    const x1 = layerNorm(node('Add', [linear(ctx, p + '.o', H, H), x]), p + '.ln1');
    const h = linear(x1, p + '.ff1', H, FF);
    const gelu = node('Mul', [node('Mul', [h, sTensor(p + '.half', 0.5)]), node('Add', [node('Erf', [node('Div', [h, sTensor(p + '.sqrt2', Math.SQRT2)])]), sTensor(p + '.one', 1)])]);
    x = layerNorm(node('Add', [linear(gelu, p + '.ff2', FF, H), x1]), p + '.ln2');
  }
  node('Identity', [x], {}, 'last_hidden_state');

  const dimBS = [{ dimParam: 'batch' }, { dimParam: 'seq' }];
  const io = (name, type, dims) => ({ name, type: { tensorType: { elemType: type, shape: { dim: dims } } } });
  const model = {
    irVersion: 8, producerName: 'make-tiny-bert.mjs', opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'tiny_random_bert', node: nodes, initializer: inits,
      input: ['input_ids', 'attention_mask', 'token_type_ids'].map(n => io(n, I64, dimBS)),
      output: [io('last_hidden_state', F, [...dimBS, { dimValue: H }])],
    },
  };
  const bytes = onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
  fs.mkdirSync(path.join(out, 'onnx'), { recursive: true });
  fs.writeFileSync(path.join(out, 'onnx/model.onnx'), bytes);
  fs.writeFileSync(path.join(out, 'onnx/model_quantized.onnx'), bytes); // transformers.js v2 loads *_quantized by default

  fs.writeFileSync(path.join(out, 'config.json'), JSON.stringify({
    model_type: 'bert', architectures: ['BertModel'], hidden_size: H, num_attention_heads: NH, num_hidden_layers: L,
    intermediate_size: FF, vocab_size: V, max_position_embeddings: MAXPOS, type_vocab_size: TYPES, pad_token_id: 0,
  }, null, 2));
  fs.writeFileSync(path.join(out, 'tokenizer_config.json'), JSON.stringify({
    tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: MAXPOS,
    cls_token: '[CLS]', sep_token: '[SEP]', unk_token: '[UNK]', pad_token: '[PAD]', mask_token: '[MASK]',
  }, null, 2));
  const st = t => ({ id: t, ids: [vocabMap[t]], tokens: [t] });
  fs.writeFileSync(path.join(out, 'tokenizer.json'), JSON.stringify({
    version: '1.0', truncation: null, padding: null,
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
}
