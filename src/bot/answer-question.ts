import type { Answer, PassageView } from '../engine/types.ts';
import type { LoggedPassage } from '../knowledge/knowledge-log.ts';
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
  const { k, server, minScore, documents } = request;
  const started = performance.now();
  const answer = await context.questions.run(server ?? '', () => context.knowledge.ask(request.question, { k, server, offset, minScore, documents }));
  const questionId = request.asked ? recordQuestion(context, request.asked, server, answer, performance.now() - started) : request.questionId;
  const key = context.answers.remember({
    question: answer.question,
    server,
    k,
    minScore,
    documents,
    shown: [...(request.shown ?? []), ...answer.passages],
    questionId,
    confidence: request.asked ? answer.confidence : request.confidence,
  });
  return {
    embeds: [buildAnswerEmbed(answer, offset + 1, request.server)],
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

/**
 * A question as the server's `/settings` say to answer it in this channel (or, in a thread, its parent): passages
 * per answer (unless the member chose a count), threshold, and the documents the channel is limited to.
 */
export function settledRequest(context: BotContext, question: string, where: { server: string | null; channelId: string; parentId?: string | null }, k?: number): QuestionRequest {
  if (!where.server) return { question, server: undefined, k };
  const settings = effectiveSettings(context.config, context.settings.get(where.server));
  return { question, server: where.server, k: k ?? settings.passagesPerAnswer, minScore: settings.minScore, documents: settings.documentsFor(where.channelId, where.parentId) };
}
