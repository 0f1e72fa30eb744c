import ort from 'onnxruntime-node';
import type { Pooling } from './pooling.ts';

/** An ONNX BERT-style encoder, opened from its file, with what batching its inputs needs. */
export interface OnnxEncoder {
  readonly session: ort.InferenceSession;
  readonly padId: bigint;
  readonly needsTokenTypes: boolean;
  readonly pooling: Pooling;
}

/**
 * Opens the model file with `threads` intra-op threads. From a path, not a buffer: onnxruntime-node 1.14 ignores
 * session options given with a buffer (which is how transformers.js opens models).
 */
export async function openOnnxEncoder(file: string, threads: number, padId: bigint, pooling: Pooling): Promise<OnnxEncoder> {
  const session = await ort.InferenceSession.create(file, { executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1 });
  return { session, padId, needsTokenTypes: session.inputNames.includes('token_type_ids'), pooling };
}

/** Runs one batch of token-id rows (padded to the longest) and returns each row's pooled unit vector. */
export async function encodeBatch(encoder: OnnxEncoder, batch: readonly (readonly number[])[]): Promise<Float32Array[]> {
  const rows = batch.length;
  const width = Math.max(...batch.map((ids) => ids.length));
  const inputIds = new BigInt64Array(rows * width).fill(encoder.padId);
  const attentionMask = new BigInt64Array(rows * width);
  batch.forEach((ids, row) => {
    for (let col = 0; col < ids.length; col++) {
      inputIds[row * width + col] = BigInt(ids[col]!);
      attentionMask[row * width + col] = 1n;
    }
  });
  const dims = [rows, width];
  const inputs: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', inputIds, dims),
    attention_mask: new ort.Tensor('int64', attentionMask, dims),
  };
  if (encoder.needsTokenTypes) inputs.token_type_ids = new ort.Tensor('int64', new BigInt64Array(rows * width), dims);
  const output = await encoder.session.run(inputs);
  const hidden = output.last_hidden_state ?? output.token_embeddings;
  if (!hidden) throw new Error('the model has no last_hidden_state output');
  const lengths = encoder.pooling === 'cls' ? batch.map(() => 1) : batch.map((ids) => ids.length);
  return meanPoolNormalized(hidden.data as Float32Array, lengths, width, hidden.dims.at(-1)!);
}

/**
 * Mean of each row's first `lengths[row]` token vectors, scaled to unit length: its real (unpadded) tokens for mean
 * pooling, the first ([CLS]) token alone (length 1) for CLS pooling.
 */
export function meanPoolNormalized(hidden: Float32Array, lengths: readonly number[], width: number, dim: number): Float32Array[] {
  return lengths.map((length, row) => {
    const vector = new Float32Array(dim);
    for (let token = 0; token < length; token++) {
      const offset = (row * width + token) * dim;
      for (let d = 0; d < dim; d++) vector[d]! += hidden[offset + d]!;
    }
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += vector[d]! * vector[d]!;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let d = 0; d < dim; d++) vector[d]! *= scale;
    return vector;
  });
}
