import { parentPort, workerData } from 'node:worker_threads';
import { describeError } from '../errors.ts';
import { splitDocument } from '../ingest/split-document.ts';
import type { SourceDocument, TokenCounter } from '../ingest/types.ts';
import { approximateTokenCounter } from './approximate-token-counter.ts';
import type { CounterRecipe, SplitReply, SplitRequest } from './isolated-splitter.ts';

// The body of the splitting worker: it loads the token counter once, then splits one document per message.
// Everything a hostile document can cost (time, memory) is spent here, where the parent can stop it.
const port = parentPort!;

async function loadCounter(recipe: CounterRecipe): Promise<TokenCounter> {
  if (recipe.kind === 'approximate') return approximateTokenCounter(recipe.maxTokens);
  const { loadTokenizerCounter } = await import('../embed/tokenizer-counter.ts');
  return loadTokenizerCounter(recipe.source);
}

try {
  const counter = await loadCounter(workerData as CounterRecipe);
  port.on('message', ({ id, document }: SplitRequest) => {
    let reply: SplitReply;
    try {
      reply = { id, paragraphs: splitDocument(document as SourceDocument, counter) };
    } catch (error) {
      reply = { id, error: describeError(error) };
    }
    port.postMessage(reply);
  });
  port.postMessage({ ready: true });
} catch (error) {
  port.postMessage({ ready: false, error: describeError(error) });
}
