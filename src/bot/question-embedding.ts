import type { KnowledgeService } from '../engine/knowledge-base.ts';
import type { QuestionQueue } from './question-queue.ts';

/** Questions per engine call when `/unanswered` embeds them: what a member's question may wait behind. */
export const EMBED_CHUNK_TEXTS = 16;

/**
 * Embeds questions for `/unanswered`'s grouping (up to 1,000 wordings) through the question queue's low-priority
 * lane, {@link EMBED_CHUNK_TEXTS} at a time: members' questions go first, and one asked while a report runs waits
 * for one chunk at most instead of the whole batch. Null as soon as the engine has no model (keywords then).
 */
export async function embedQuestionsWhenIdle(queue: QuestionQueue, knowledge: Pick<KnowledgeService, 'embedQuestions'>, texts: readonly string[]): Promise<number[][] | null> {
  const vectors: number[][] = [];
  for (let at = 0; at < texts.length; at += EMBED_CHUNK_TEXTS) {
    const chunk = await queue.runWhenIdle(() => knowledge.embedQuestions(texts.slice(at, at + EMBED_CHUNK_TEXTS)));
    if (chunk === null) return null;
    vectors.push(...chunk);
  }
  return vectors;
}
