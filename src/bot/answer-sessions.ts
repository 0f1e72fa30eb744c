import crypto from 'node:crypto';
import type { PassageView } from '../engine/types.ts';

/** What the "More" and feedback buttons of one answer need to know. */
export interface AnswerSession {
  readonly question: string;
  readonly server: string | undefined;
  readonly k: number | undefined;
  /** Passages shown so far, in order. */
  readonly shown: PassageView[];
}

/**
 * Remembers recent answers by a short key carried in button custom ids (which are limited to 100 characters,
 * too short for the question). Bounded: the oldest answers are forgotten first.
 */
export class AnswerSessions {
  private readonly sessions = new Map<string, AnswerSession>();

  constructor(private readonly capacity = 5000) {}

  remember(session: AnswerSession): string {
    const key = crypto.randomBytes(6).toString('base64url');
    this.sessions.set(key, session);
    if (this.sessions.size > this.capacity) this.sessions.delete(this.sessions.keys().next().value!);
    return key;
  }

  get(key: string): AnswerSession | undefined {
    return this.sessions.get(key);
  }
}
