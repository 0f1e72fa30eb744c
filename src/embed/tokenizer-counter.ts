import { AutoTokenizer, env } from '@xenova/transformers';
import type { TokenCounter } from '../ingest/types.ts';
import type { TokenizerSource } from './embedder.ts';
import { countTokensWith } from './transformers-embedder.ts';

/**
 * Loads only the tokenizer of a model the embedder has already fetched (never downloads), and counts tokens the
 * way the embedder does. For the document-splitting process, which needs the model's measure of a paragraph
 * but not the model.
 */
export async function loadTokenizerCounter(source: TokenizerSource): Promise<TokenCounter> {
  env.localModelPath = source.root;
  env.cacheDir = source.root;
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  const tokenizer = await AutoTokenizer.from_pretrained(source.id);
  return { maxTokens: source.maxTokens, countTokens: (text) => countTokensWith(tokenizer, text) };
}
