import type { TokenCounter } from '../ingest/types.ts';

/**
 * How another process can rebuild an embedder's token counter without the model: the tokenizer's folder, as
 * transformers.js finds it. Documents are split in a child process (with a time and memory budget) that loads it.
 */
export interface TokenizerSource {
  /** Folder that holds models as `<root>/<owner>/<name>/`. */
  readonly root: string;
  /** The model id beneath it. */
  readonly id: string;
  readonly maxTokens: number;
}

/**
 * Turns text into unit-length vectors. The engine depends on this interface only, so tests can inject a fake and
 * the transformers.js implementation stays in one file.
 */
export interface Embedder extends TokenCounter {
  /** Identifies the model and everything that changes its vectors; a different id means a full rebuild. */
  readonly modelId: string;
  /** Vector length, known once the model is loaded. */
  readonly dimension: number;
  /** Embeds passages for the index (passage prefix applied). Order of the result matches `texts`. */
  embedPassages(texts: readonly string[]): Promise<Float32Array[]>;
  /** Where the tokenizer is, for splitting documents in a child process; absent: split in this thread. */
  readonly tokenizerSource?: TokenizerSource;
  /** Embeds one question (query prefix applied). */
  embedQuery(text: string): Promise<Float32Array>;
  /** Stops the worker processes, if any, so the process can end by itself; the embedder is not used after. */
  close(): Promise<void>;
}

/** Loads an embedder once; rejects with a MODEL_UNAVAILABLE AppError that names the model, folder and files. */
export type EmbedderLoader = () => Promise<Embedder>;
