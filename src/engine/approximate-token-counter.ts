import type { TokenCounter } from '../ingest/types.ts';

/** Without a model, paragraphs are still split to roughly the size a model would take. */
export function approximateTokenCounter(maxTokens: number): TokenCounter {
  return {
    maxTokens: maxTokens - 2,
    countTokens: (text) => Math.ceil((text.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu)?.length ?? 0) * 1.3),
  };
}
