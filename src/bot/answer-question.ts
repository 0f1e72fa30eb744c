import type { PassageView } from '../engine/types.ts';
import type { BotContext } from './context.ts';
import { buildAnswerButtons, buildAnswerEmbed, type AnswerMessage } from './format/answer-message.ts';

export interface QuestionRequest {
  readonly question: string;
  /** The server asking; its own documents are searched besides the shared ones. */
  readonly server: string | undefined;
  readonly k?: number;
  /** Passages already shown for this question (the pages before a "More"): feedback on the next page covers them too. */
  readonly shown?: readonly PassageView[];
}

/**
 * Asks the engine and formats the reply shared by `/ask`, mentions and QA channels, remembering the answer so
 * its "More" and feedback buttons work.
 */
export async function answerQuestion(context: BotContext, request: QuestionRequest, offset = 0): Promise<AnswerMessage> {
  const answer = await context.questions.run(request.server ?? '', () => context.knowledge.ask(request.question, { k: request.k, server: request.server, offset }));
  const key = context.answers.remember({ question: answer.question, server: request.server, k: request.k, shown: [...(request.shown ?? []), ...answer.passages] });
  return {
    embeds: [buildAnswerEmbed(answer, offset + 1)],
    components: buildAnswerButtons(key, answer.more ? offset + answer.passages.length : null, answer.answered),
  };
}
