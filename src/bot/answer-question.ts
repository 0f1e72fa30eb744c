import type { Answer, PassageView } from '../engine/types.ts';
import type { LoggedPassage } from '../knowledge/knowledge-log.ts';
import type { BotContext } from './context.ts';
import { buildAnswerButtons, buildAnswerEmbed, type AnswerMessage } from './format/answer-message.ts';

export interface QuestionRequest {
  readonly question: string;
  /** The server asking; its own documents are searched besides the shared ones. */
  readonly server: string | undefined;
  readonly k?: number;
  /** Passages already shown for this question (the pages before a "More"): feedback on the next page covers them too. */
  readonly shown?: readonly PassageView[];
  /** Who asked and where, for the knowledge log; absent for a "More" page (the same question, logged once). */
  readonly asked?: AskedBy;
  /** For a "More" page: the first page's logged question and confidence. */
  readonly questionId?: number;
  readonly confidence?: number;
}

export interface AskedBy {
  readonly userId: string;
  readonly channelId: string | undefined;
  readonly via: 'command' | 'message';
  /** A jump link to the question's message, when there is one. */
  readonly link: string | undefined;
}

/**
 * Asks the engine and formats the reply shared by `/ask`, mentions and QA channels, remembering the answer so
 * its "More" and feedback buttons work.
 */
export async function answerQuestion(context: BotContext, request: QuestionRequest, offset = 0): Promise<AnswerMessage> {
  const started = performance.now();
  const answer = await context.questions.run(request.server ?? '', () => context.knowledge.ask(request.question, { k: request.k, server: request.server, offset }));
  const questionId = request.asked ? recordQuestion(context, request.asked, request.server, answer, performance.now() - started) : request.questionId;
  const key = context.answers.remember({
    question: answer.question,
    server: request.server,
    k: request.k,
    shown: [...(request.shown ?? []), ...answer.passages],
    questionId,
    confidence: request.asked ? answer.confidence : request.confidence,
  });
  return {
    embeds: [buildAnswerEmbed(answer, offset + 1)],
    components: buildAnswerButtons(key, answer.more ? offset + answer.passages.length : null, answer.answered),
  };
}

/** The question, its answer and how long the member waited for it, in the knowledge log. */
function recordQuestion(context: BotContext, asked: AskedBy, server: string | undefined, answer: Answer, latencyMs: number): number | undefined {
  return context.knowledgeLog.recordQuestion({
    server: server ?? '',
    channel: asked.channelId,
    userId: asked.userId,
    via: asked.via,
    text: answer.question,
    link: asked.link,
    mode: answer.mode,
    answered: answer.answered,
    confidence: answer.confidence,
    latencyMs,
    passages: loggedPassages(answer.passages),
  });
}

/** Passages as the knowledge log keeps them: where each is, and its score. */
export function loggedPassages(passages: readonly PassageView[]): LoggedPassage[] {
  return passages.map(({ document, section, paragraphNumber, score }) => ({ document, section, paragraph: paragraphNumber, score }));
}
