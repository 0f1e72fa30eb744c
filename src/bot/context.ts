import type { BotConfig } from '../config.ts';
import type { KnowledgeBase } from '../engine/knowledge-base.ts';
import type { KnowledgeLog } from '../knowledge/knowledge-log.ts';
import type { ServerSettingsStore } from '../knowledge/server-settings.ts';
import type { Logger } from '../logger.ts';
import type { AnswerSessions } from './answer-sessions.ts';
import type { QuestionQueue } from './question-queue.ts';
import type { RateLimiter } from './rate-limiter.ts';

export type { KnowledgeBase };

/** Everything a command handler needs, built once at start-up. */
export interface BotContext {
  readonly knowledge: KnowledgeBase;
  readonly config: BotConfig;
  readonly answers: AnswerSessions;
  /** Questions, answers and votes, and what admins read back (`/unanswered`, `/stats`). */
  readonly knowledgeLog: KnowledgeLog;
  readonly rateLimiter: RateLimiter;
  /** Questions wait their server's turn here; `admit` says whether a new one is answered, deferred or refused. */
  readonly questions: QuestionQueue;
  readonly logger: Logger;
  /** Each server's `/settings` (Q&A channels, threshold, documents per channel…), read on every question. */
  readonly settings: ServerSettingsStore;
  /** Downloads an attachment, refusing more than `maxBytes`. */
  readonly download: (url: string, maxBytes: number) => Promise<Uint8Array>;
}
