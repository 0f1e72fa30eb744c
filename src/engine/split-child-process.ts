import { describeError } from '../errors.ts';
import { splitAnyDocument } from '../ingest/split-document.ts';
import { UnreadableDocument } from '../ingest/unreadable-document.ts';
import type { TokenCounter } from '../ingest/types.ts';
import { approximateTokenCounter } from './approximate-token-counter.ts';
import type { CounterRecipe, SplitReply, SplitRequest } from './isolated-splitter.ts';

// The splitting process: it loads the token counter once, then splits one document per message. Everything a
// hostile document can cost (time, memory) is spent here, where the parent can kill it.
const send = (message: unknown) => {
  if (process.connected) process.send!(message);
};

async function loadCounter(recipe: CounterRecipe): Promise<TokenCounter> {
  if (recipe.kind === 'approximate') return approximateTokenCounter(recipe.maxTokens);
  const { loadTokenizerCounter } = await import('../embed/tokenizer-counter.ts');
  return loadTokenizerCounter(recipe.source);
}

let counter: Promise<TokenCounter> | undefined;
process.on('message', async (message: { recipe: CounterRecipe } | SplitRequest) => {
  if ('recipe' in message) {
    counter = loadCounter(message.recipe);
    counter.then(() => send({ ready: true }), (error: unknown) => send({ ready: false, error: describeError(error) }));
    return;
  }
  let reply: SplitReply;
  try {
    reply = { id: message.id, paragraphs: await splitAnyDocument(message.document, await counter!) };
  } catch (error) {
    reply = error instanceof UnreadableDocument ? { id: message.id, skipped: error.message } : { id: message.id, error: describeError(error) };
  }
  send(reply);
});
// The parent finished (or died): nothing left to do.
process.on('disconnect', () => process.exit(0));
