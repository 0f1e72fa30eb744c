/**
 * A plain TypeScript forward pass of a BERT encoder (float64, one sequence at a time), written from Hugging Face's
 * BertModel, independent of the ONNX graph builder: the reference the import test compares the ONNX files with.
 */
import type { BertShape } from '../../src/embed/onnx-bert-graph.ts';

type Matrix = number[][];

/** Token vectors [tokens][hidden] for one sequence of token ids (token type 0, no padding). */
export function bertForward(shape: BertShape, weights: ReadonlyMap<string, Float32Array>, ids: readonly number[]): Matrix {
  const H = shape.hiddenSize;
  const w = (name: string) => weights.get(name)!;
  const row = (name: string, r: number) => Array.from(w(name).subarray(r * H, (r + 1) * H));
  let x: Matrix = ids.map((id, pos) => {
    const word = row('embeddings.word_embeddings.weight', id), position = row('embeddings.position_embeddings.weight', pos), type = row('embeddings.token_type_embeddings.weight', 0);
    return word.map((v, d) => v + position[d]! + type[d]!);
  });
  x = layerNorm(x, w('embeddings.LayerNorm.weight'), w('embeddings.LayerNorm.bias'), shape.layerNormEps);
  const heads = shape.heads, size = H / heads;
  for (let l = 0; l < shape.layers; l++) {
    const p = `encoder.layer.${l}`;
    const lin = (input: Matrix, name: string) => linear(input, w(`${p}.${name}.weight`), w(`${p}.${name}.bias`));
    const q = lin(x, 'attention.self.query'), k = lin(x, 'attention.self.key'), v = lin(x, 'attention.self.value');
    const context: Matrix = x.map(() => new Array(H).fill(0));
    for (let h = 0; h < heads; h++) {
      for (let i = 0; i < x.length; i++) {
        const scores = x.map((_, j) => {
          let dot = 0;
          for (let d = h * size; d < (h + 1) * size; d++) dot += q[i]![d]! * k[j]![d]!;
          return dot / Math.sqrt(size);
        });
        const max = Math.max(...scores);
        const exps = scores.map((s) => Math.exp(s - max));
        const sum = exps.reduce((a, b) => a + b, 0);
        for (let j = 0; j < x.length; j++) for (let d = h * size; d < (h + 1) * size; d++) context[i]![d]! += (exps[j]! / sum) * v[j]![d]!;
      }
    }
    const attended = layerNorm(add(lin(context, 'attention.output.dense'), x), w(`${p}.attention.output.LayerNorm.weight`), w(`${p}.attention.output.LayerNorm.bias`), shape.layerNormEps);
    const hidden = lin(attended, 'intermediate.dense').map((r) => r.map((value) => 0.5 * value * (1 + erf(value / Math.SQRT2))));
    x = layerNorm(add(lin(hidden, 'output.dense'), attended), w(`${p}.output.LayerNorm.weight`), w(`${p}.output.LayerNorm.bias`), shape.layerNormEps);
  }
  return x;
}

/** Mean of the token vectors, or the first one, scaled to unit length. */
export function poolUnit(tokens: Matrix, pooling: 'mean' | 'cls'): number[] {
  const pooled = pooling === 'cls' ? tokens[0]! : tokens[0]!.map((_, d) => tokens.reduce((sum, t) => sum + t[d]!, 0) / tokens.length);
  const norm = Math.sqrt(pooled.reduce((sum, v) => sum + v * v, 0));
  return pooled.map((v) => v / norm);
}

function linear(x: Matrix, weight: Float32Array, bias: Float32Array): Matrix {
  const dout = bias.length, din = weight.length / dout;
  return x.map((r) => Array.from({ length: dout }, (_, o) => {
    let sum = bias[o]!;
    for (let i = 0; i < din; i++) sum += r[i]! * weight[o * din + i]!;
    return sum;
  }));
}

function add(a: Matrix, b: Matrix): Matrix {
  return a.map((r, i) => r.map((v, d) => v + b[i]![d]!));
}

function layerNorm(x: Matrix, gamma: Float32Array, beta: Float32Array, eps: number): Matrix {
  return x.map((r) => {
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    const variance = r.reduce((a, b) => a + (b - mean) ** 2, 0) / r.length;
    return r.map((v, d) => ((v - mean) / Math.sqrt(variance + eps)) * gamma[d]! + beta[d]!);
  });
}

/** erf to float64 precision (Math has none): Taylor series below 3, erfc's continued fraction above. */
function erf(x: number): number {
  const t = Math.abs(x);
  if (t > 6) return Math.sign(x);
  if (t < 3) {
    let sum = t, term = t;
    for (let n = 1; n < 200; n++) {
      term *= (-t * t) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17) break;
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc continued fraction (Lentz), accurate for t ≥ 3.
  let f = t, c = t, d = 0;
  for (let n = 1; n < 100; n++) {
    const a = n / 2;
    d = 1 / (t + a * d);
    c = t + a / c;
    f *= c * d;
  }
  const erfc = Math.exp(-t * t) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}
