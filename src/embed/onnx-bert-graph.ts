// @ts-nocheck -- onnx-proto's generated types make every graph field optional; the builder stays close to the ONNX spec.
/**
 * Builds a BERT encoder as an ONNX graph from its weights, in fp32 or int8 dynamic quantisation. Shared by
 * `docqa import-model` (real sentence-transformers weights) and the bench's MiniLM-shaped model (random weights),
 * so what the bench times is the graph users run.
 *
 * The graph follows Hugging Face's BertModel: word + position + token-type embeddings, LayerNorm, then per layer
 * self-attention (scores / sqrt(head size) + additive mask), output dense + residual + LayerNorm, GELU (erf)
 * feed-forward + residual + LayerNorm. Output: `last_hidden_state` [batch, sequence, hidden].
 *
 * int8 follows what transformers.js's converter produced for its 2.x models (scripts/convert.py:
 * onnxruntime `quantize_dynamic(weight_type=QInt8, per_channel=True, reduce_range=True, optimize_model=False)`,
 * BERT not being on its list of exceptions): each MatMul with a constant weight becomes
 * DynamicQuantizeLinear (uint8 activations, per tensor) + MatMulInteger + Cast + Mul by the two scales, with the
 * weight int8 symmetric per output column in 7 bits ([-64, 63], reduce_range, which keeps u8×s8 sums from
 * saturating in the AVX2 kernels). Activation × activation MatMuls (QKᵀ, attention × V) stay fp32, as
 * quantize_dynamic's MatMulConstBOnly leaves them. Biases, LayerNorm and Softmax stay fp32. One departure
 * ({@link IMPORT_INT8}): embedding tables are int8 with a scale per row (Gather, Cast, Mul by the row's scale), not
 * per tensor, because one large row ([CLS], position 0) otherwise sets the step for every token; see
 * docs/evaluation.md for the figures.
 */
import onnxProto from 'onnx-proto';
const { onnx } = onnxProto;

/** The shape of a BERT encoder, from its config.json. */
export interface BertShape {
  readonly hiddenSize: number;
  readonly heads: number;
  readonly layers: number;
  readonly intermediateSize: number;
  readonly vocabSize: number;
  readonly maxPositions: number;
  readonly typeVocabSize: number;
  readonly layerNormEps: number;
}

/**
 * Returns a weight by its Hugging Face BertModel name (`embeddings.word_embeddings.weight`,
 * `encoder.layer.0.attention.self.query.weight`, ...) in PyTorch layout: Linear weights are [out, in].
 */
export type BertWeightSource = (name: string, dims: readonly number[]) => Float32Array;

/** The names and PyTorch shapes of every weight a BERT encoder of this shape has, in graph order. */
export function bertWeightNames(shape: BertShape): { name: string; dims: number[] }[] {
  const { hiddenSize: H, intermediateSize: FF } = shape;
  const names = [
    { name: 'embeddings.word_embeddings.weight', dims: [shape.vocabSize, H] },
    { name: 'embeddings.position_embeddings.weight', dims: [shape.maxPositions, H] },
    { name: 'embeddings.token_type_embeddings.weight', dims: [shape.typeVocabSize, H] },
    { name: 'embeddings.LayerNorm.weight', dims: [H] },
    { name: 'embeddings.LayerNorm.bias', dims: [H] },
  ];
  for (let l = 0; l < shape.layers; l++) {
    const p = `encoder.layer.${l}`;
    for (const [sub, dout, din] of [
      ['attention.self.query', H, H], ['attention.self.key', H, H], ['attention.self.value', H, H],
      ['attention.output.dense', H, H], ['intermediate.dense', FF, H], ['output.dense', H, FF],
    ] as const) {
      names.push({ name: `${p}.${sub}.weight`, dims: [dout, din] }, { name: `${p}.${sub}.bias`, dims: [dout] });
    }
    for (const ln of ['attention.output.LayerNorm', 'output.LayerNorm']) {
      names.push({ name: `${p}.${ln}.weight`, dims: [H] }, { name: `${p}.${ln}.bias`, dims: [H] });
    }
  }
  return names;
}

/** How the int8 graph is quantised. The options beyond the default are kept to measure against (docs/evaluation.md). */
export interface Int8Scheme {
  /** Embedding tables: int8 with one scale per tensor or per row (token), or left fp32. */
  readonly embeddings: 'per-tensor' | 'per-row' | 'fp32';
  /** Weights in 7 bits ([-64, 63]) instead of 8 ([-127, 127]). */
  readonly reduceRange: boolean;
  /** Linear layers left fp32, by their name inside a layer (`output.dense`, `intermediate.dense`, ...). */
  readonly fp32Linears: readonly string[];
}
/** What transformers.js's converter did (onnxruntime quantize_dynamic, per_channel, reduce_range). */
export const TRANSFORMERS_JS_INT8: Int8Scheme = { embeddings: 'per-tensor', reduceRange: true, fp32Linears: [] };
/**
 * What import-model (and the bench model) use: transformers.js's scheme with embedding tables per row. On
 * all-MiniLM-L6-v2 it lifts int8 against fp32 from a mean cosine of 0.9883 to 0.9902 over 252 texts, for 0.1 MB.
 */
export const IMPORT_INT8: Int8Scheme = { ...TRANSFORMERS_JS_INT8, embeddings: 'per-row' };

/** One line for import-record.json. */
export function describeInt8Scheme(scheme: Int8Scheme): string {
  return [
    `onnxruntime quantize_dynamic scheme: weights QInt8 per output column${scheme.reduceRange ? ', reduce_range (7 bit)' : ' (8 bit)'}`,
    'activations QUInt8 per tensor (DynamicQuantizeLinear + MatMulInteger)',
    scheme.embeddings === 'fp32' ? 'embeddings fp32' : `embeddings int8 ${scheme.embeddings}`,
    ...(scheme.fp32Linears.length > 0 ? [`fp32 linears: ${scheme.fp32Linears.join(', ')}`] : []),
    'QK^T and attention x V fp32',
  ].join('; ');
}

/** Builds the serialized ONNX model (opset 17, IR 8). */
export function buildBertOnnx(shape: BertShape, weight: BertWeightSource, options: { quantized: boolean; producer: string; int8?: Int8Scheme }): Uint8Array {
  const { hiddenSize: H, heads: NH } = shape;
  const DH = H / NH;
  const quant = options.quantized;
  const scheme = options.int8 ?? IMPORT_INT8;
  const qMax = scheme.reduceRange ? 63 : 127;
  const { FLOAT: F, INT64: I64, INT8: I8 } = onnx.TensorProto.DataType;
  const inits = [], nodes = [];
  let k = 0;
  const rawInit = (name, dims, dataType, typed) => {
    inits.push({ name, dims, dataType, rawData: new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength) });
    return name;
  };
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
  const fWeight = (name, dims) => rawInit(name, dims, F, weight(name, dims));

  // PyTorch Linear [out, in] → ONNX MatMul B [in, out].
  const transposed = (name, dout, din) => {
    const w = weight(name, [dout, din]);
    const t = new Float32Array(din * dout);
    for (let o = 0; o < dout; o++) for (let i = 0; i < din; i++) t[i * dout + o] = w[o * din + i];
    return t;
  };
  const quantizeColumns = (name, w, din, dout) => {
    const q = new Int8Array(din * dout), scale = new Float32Array(dout), zero = new Int8Array(dout);
    for (let j = 0; j < dout; j++) {
      let m = 0;
      for (let i = 0; i < din; i++) m = Math.max(m, Math.abs(w[i * dout + j]));
      scale[j] = m / qMax || 1;
    }
    for (let i = 0; i < din; i++) for (let j = 0; j < dout; j++) q[i * dout + j] = Math.max(-qMax - 1, Math.min(qMax, Math.round(w[i * dout + j] / scale[j])));
    return [rawInit(name + '_quantized', [din, dout], I8, q), rawInit(name + '_scale', [dout], F, scale), rawInit(name + '_zero_point', [dout], I8, zero)];
  };
  const matmulWeight = (x, name, din, dout) => {
    const w = transposed(name, dout, din);
    const keptFp32 = scheme.fp32Linears.includes(/^encoder\.layer\.\d+\.(.+)\.weight$/.exec(name)?.[1]);
    if (!quant || keptFp32) return node('MatMul', [x, rawInit(name, [din, dout], F, w)]);
    const [wq, ws, wz] = quantizeColumns(name, w, din, dout);
    const dq = `${x}_dql_${k++}`;
    nodes.push({ opType: 'DynamicQuantizeLinear', input: [x], output: [dq, dq + '_scale', dq + '_zp'], name: dq });
    const product = node('MatMulInteger', [dq, wq, dq + '_zp', wz]);
    return node('Mul', [node('Cast', [product], { to: F }), node('Mul', [dq + '_scale', ws])]);
  };
  const embedding = (name, dims, ids) => {
    const w = weight(name, dims);
    if (!quant || scheme.embeddings === 'fp32') return node('Gather', [rawInit(name, dims, F, w), ids]);
    if (scheme.embeddings === 'per-row') {
      // One scale per token: a rare token's row is not coarsened by the largest value anywhere in the table.
      const [rows, width] = dims;
      const q = new Int8Array(w.length), scales = new Float32Array(rows);
      for (let r = 0; r < rows; r++) {
        let m = 0;
        for (let c = 0; c < width; c++) m = Math.max(m, Math.abs(w[r * width + c]));
        scales[r] = m / 127 || 1;
        for (let c = 0; c < width; c++) q[r * width + c] = Math.round(w[r * width + c] / scales[r]);
      }
      const gathered = node('Cast', [node('Gather', [rawInit(name + '_quantized', dims, I8, q), ids])], { to: F });
      const rowScale = node('Unsqueeze', [node('Gather', [rawInit(name + '_scale', [rows], F, scales), ids]), iTensor(name + '_last_axis', [1], [-1])]);
      return node('Mul', [gathered, rowScale]);
    }
    let m = 0;
    for (const v of w) m = Math.max(m, Math.abs(v));
    const scale = m / 127 || 1;
    const q = Int8Array.from(w, (v) => Math.round(v / scale));
    const gathered = node('Gather', [rawInit(name + '_quantized', dims, I8, q), ids]);
    return node('DequantizeLinear', [gathered, sTensor(name + '_scale', scale), rawInit(name + '_zero_point', [], I8, new Int8Array(1))]);
  };
  const linear = (x, pre, din, dout) => node('Add', [matmulWeight(x, pre + '.weight', din, dout), fWeight(pre + '.bias', [dout])]);
  const layerNorm = (x, pre) => node('LayerNormalization', [x, fWeight(pre + '.weight', [H]), fWeight(pre + '.bias', [H])], { axis: -1, epsilon: shape.layerNormEps });

  const seqLen = node('Gather', [node('Shape', ['input_ids']), iTensor('one_idx', [], [1])], { axis: 0 });
  const positions = node('Range', [iTensor('zero_i', [], [0]), seqLen, iTensor('one_i', [], [1])]);
  let x = node('Add', [
    node('Add', [embedding('embeddings.word_embeddings.weight', [shape.vocabSize, H], 'input_ids'), embedding('embeddings.position_embeddings.weight', [shape.maxPositions, H], positions)]),
    embedding('embeddings.token_type_embeddings.weight', [shape.typeVocabSize, H], 'token_type_ids'),
  ]);
  x = layerNorm(x, 'embeddings.LayerNorm');
  // Additive mask [B,1,1,S]: 0 where attended, the lowest float where padded (as Hugging Face's exports do).
  const mask = node('Cast', ['attention_mask'], { to: F });
  const maskAdd = node('Unsqueeze', [node('Mul', [node('Sub', [sTensor('one_f', 1), mask]), sTensor('neg_big', -3.4028234663852886e38)]), iTensor('ax12', [2], [1, 2])]);
  const headShape = iTensor('head_shape', [4], [0, 0, NH, DH]), mergeShape = iTensor('merge_shape', [3], [0, 0, H]);
  for (let l = 0; l < shape.layers; l++) {
    const p = `encoder.layer.${l}`;
    const split = (t, perm) => node('Transpose', [node('Reshape', [t, headShape])], { perm });
    const q = split(linear(x, `${p}.attention.self.query`, H, H), [0, 2, 1, 3]);
    const kT = split(linear(x, `${p}.attention.self.key`, H, H), [0, 2, 3, 1]);
    const v = split(linear(x, `${p}.attention.self.value`, H, H), [0, 2, 1, 3]);
    const scores = node('Add', [node('Div', [node('MatMul', [q, kT]), sTensor(`${p}.scale`, Math.sqrt(DH))]), maskAdd]);
    const context = node('Reshape', [node('Transpose', [node('MatMul', [node('Softmax', [scores], { axis: -1 }), v])], { perm: [0, 2, 1, 3] }), mergeShape]);
    const x1 = layerNorm(node('Add', [linear(context, `${p}.attention.output.dense`, H, H), x]), `${p}.attention.output.LayerNorm`);
    const h = linear(x1, `${p}.intermediate.dense`, H, shape.intermediateSize);
    const gelu = node('Mul', [node('Mul', [h, node('Add', [node('Erf', [node('Div', [h, sTensor(`${p}.sqrt2`, Math.SQRT2)])]), sTensor(`${p}.one`, 1)])]), sTensor(`${p}.half`, 0.5)]);
    x = layerNorm(node('Add', [linear(gelu, `${p}.output.dense`, shape.intermediateSize, H), x1]), `${p}.output.LayerNorm`);
  }
  node('Identity', [x], {}, 'last_hidden_state');
  const batchBySequence = [{ dimParam: 'batch_size' }, { dimParam: 'sequence_length' }];
  const io = (name, type, dims) => ({ name, type: { tensorType: { elemType: type, shape: { dim: dims } } } });
  const model = {
    irVersion: 8, producerName: options.producer, opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'bert_encoder', node: nodes, initializer: inits,
      input: ['input_ids', 'attention_mask', 'token_type_ids'].map((n) => io(n, I64, batchBySequence)),
      output: [io('last_hidden_state', F, [...batchBySequence, { dimValue: H }])],
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}
