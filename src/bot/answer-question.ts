import type { PassageView } from '../engine/types.ts';
import type { BotContext } from './context.ts';
import { effectiveSettings } from '../knowledge/server-settings.ts';
import { buildAnswerButtons, buildAnswerEmbed, type AnswerMessage } from './format/answer-message.ts';

export interface QuestionRequest {
  readonly question: string;
  /** The server asking; its own documents are searched besides the shared ones. */
  readonly server: string | undefined;
  readonly k?: number;
  /** The server's "no confident match" threshold (its `/settings`), if it set one. */
  readonly minScore?: number;
  /** The only documents the channel answers from (its `/settings`), if it is limited. */
  readonly documents?: readonly string[];
  /** Passages already shown for this question (the pages before a "More"): feedback on the next page covers them too. */
  readonly shown?: readonly PassageView[];
}

/**
 * Asks the engine and formats the reply shared by `/ask`, mentions and QA channels, remembering the answer so
 * its "More" and feedback buttons work.
 */
export async function answerQuestion(context: BotContext, request: QuestionRequest, offset = 0): Promise<AnswerMessage> {
  const { k, server, minScore, documents } = request;
  const answer = await context.questions.run(server ?? '', () => context.knowledge.ask(request.question, { k, server, offset, minScore, documents }));
  const key = context.answers.remember({ question: answer.question, server, k, minScore, documents, shown: [...(request.shown ?? []), ...answer.passages] });
  return {
    embeds: [buildAnswerEmbed(answer, offset + 1, request.server)],
    components: buildAnswerButtons(key, answer.more ? offset + answer.passages.length : null, answer.answered),
  };
}

/**
 * A question as the server's `/settings` say to answer it in this channel (or, in a thread, its parent): passages
 * per answer (unless the member chose a count), threshold, and the documents the channel is limited to.
 */
export function settledRequest(context: BotContext, question: string, where: { server: string | null; channelId: string; parentId?: string | null }, k?: number): QuestionRequest {
  if (!where.server) return { question, server: undefined, k };
  const settings = effectiveSettings(context.config, context.settings.get(where.server));
  return { question, server: where.server, k: k ?? settings.passagesPerAnswer, minScore: settings.minScore, documents: settings.documentsFor(where.channelId, where.parentId) };
}
