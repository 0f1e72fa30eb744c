import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Logger } from '../logger.ts';
import type { KnowledgeDatabase, SqliteDatabase } from './database.ts';
import { groupQuestions, type EmbedTexts, type Grouping, type LoggedRef, type UnansweredQuestion } from './group-questions.ts';
import { chooseThreshold, type ThresholdSuggestion } from './threshold.ts';

export type { LoggedRef, ThresholdSuggestion };

/** A passage shown in an answer, by its place in its document. */
export interface LoggedPassage {
  readonly document: string;
  readonly section: string;
  /** The paragraph's number in its document, from 1. */
  readonly paragraph: number;
  readonly score: number;
}

/** One question the bot answered (or found "no confident match" for). */
export interface QuestionRecord {
  readonly server: string;
  readonly channel: string | undefined;
  /** The Discord user id; stored only as a keyed hash, and only while the text is kept. */
  readonly userId: string;
  readonly via: 'command' | 'message';
  readonly text: string;
  /** A jump link to the question's message, when it has one (a mention or Q&A-channel message). */
  readonly link: string | undefined;
  readonly mode: string;
  readonly answered: boolean;
  /** What the "no confident match" threshold was compared with. */
  readonly confidence: number | undefined;
  readonly latencyMs: number;
  readonly passages: readonly LoggedPassage[];
}

/** A 👍/👎 on an answer. A member's later vote on the same answer replaces the earlier one. */
export interface FeedbackRecord {
  readonly server: string;
  /** The logged question voted on (undefined when it was not recorded). */
  readonly questionId: number | undefined;
  readonly userId: string;
  readonly vote: 'up' | 'down';
  readonly question: string;
  readonly confidence: number | undefined;
  /** Every passage shown so far ("More" pages included). */
  readonly passages: readonly LoggedPassage[];
}

export interface KnowledgeStats {
  readonly days: number;
  readonly questions: number;
  readonly answered: number;
  readonly noMatch: number;
  readonly up: number;
  readonly down: number;
  /** Milliseconds; undefined without questions. */
  readonly latencyP50: number | undefined;
  readonly latencyP95: number | undefined;
  readonly topDocuments: readonly { readonly document: string; readonly citations: number }[];
  /** One entry per UTC day of the window, oldest first, days without questions included. */
  readonly perDay: readonly { readonly day: string; readonly questions: number; readonly answered: number }[];
}

export interface UnansweredReport extends Grouping {
  readonly days: number;
  /** Questions in the window whose text was not kept (QUESTION_LOG_DAYS), so they cannot be shown. */
  readonly withoutText: number;
}

/**
 * What the bot learns from being asked: every question and answer, the 👍/👎 votes, and what admins read back
 * (`/unanswered`, `/stats`). Every read is scoped to one server. Recording never throws: when the store is
 * unavailable it records nothing (see KnowledgeDatabase).
 */
export interface KnowledgeLog {
  /** Whether the store can be read now (false while its file is corrupt or locked). */
  readonly available: boolean;
  /** Returns the question's id, for votes on its answer; undefined when nothing was recorded. */
  recordQuestion(record: QuestionRecord): number | undefined;
  /** Whether the vote was recorded (false while the store is unavailable). */
  recordFeedback(record: FeedbackRecord): boolean;
  /** "No confident match" and 👎 questions of the last `days` days, grouped, resolved ones left out. */
  unanswered(server: string, days: number): Promise<UnansweredReport>;
  /** Marks questions resolved (hidden from `unanswered`); returns how many were marked. */
  resolve(server: string, members: readonly LoggedRef[]): number;
  stats(server: string, days: number): KnowledgeStats;
  /** The threshold this server's votes of the last `days` days support (see chooseThreshold). */
  suggestThreshold(server: string, days?: number): ThresholdSuggestion;
  /** Clears the text of questions past the retention period; returns how many rows were cleared. */
  purgeExpired(): number;
  close(): void;
}

export interface KnowledgeLogOptions {
  readonly database: KnowledgeDatabase;
  /** Days question text is kept; 0 = never stored. */
  readonly questionLogDays: number;
  readonly logger: Logger;
  /** Embeds question texts for grouping; absent or resolving null: grouping by keywords. */
  readonly embed?: EmbedTexts;
  readonly now?: () => number;
}

const DAY_MS = 86_400_000;
/** Most recent unanswered questions read for grouping: bounds `/unanswered` on a very large log. */
const MAX_UNANSWERED_ROWS = 20_000;

/** The {@link KnowledgeLog} on the SQLite knowledge store. */
export class SqliteKnowledgeLog implements KnowledgeLog {
  private readonly now: () => number;
  private salt: string | undefined;

  constructor(private readonly options: KnowledgeLogOptions) {
    this.now = options.now ?? Date.now;
  }

  get available(): boolean {
    return this.options.database.available;
  }

  private get keepText(): boolean {
    return this.options.questionLogDays > 0;
  }

  recordQuestion(record: QuestionRecord): number | undefined {
    return this.options.database.use('recording a question', undefined, (db) =>
      db.transaction(() => {
        const keep = this.keepText;
        const askedAt = this.now();
        const { lastInsertRowid } = db
          .prepare(
            `INSERT INTO questions (server, channel, asker, asked_at, via, text, link, mode, answered, confidence, latency_ms)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            record.server,
            record.channel ?? null,
            keep ? this.pseudonym(db, record.userId) : null,
            askedAt,
            record.via,
            keep ? record.text : null,
            keep ? (record.link ?? null) : null,
            record.mode,
            record.answered ? 1 : 0,
            record.confidence === undefined ? null : round3(record.confidence),
            Math.round(record.latencyMs * 10) / 10,
          );
        const id = Number(lastInsertRowid);
        const passage = db.prepare('INSERT INTO answer_passages (server, question_id, rank, asked_at, document, section, paragraph, score) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
        record.passages.forEach((shown, rank) => passage.run(record.server, id, rank + 1, askedAt, shown.document, shown.section, shown.paragraph, shown.score));
        return id;
      })(),
    );
  }

  recordFeedback(record: FeedbackRecord): boolean {
    return this.options.database.use('recording a vote', false, (db) => {
      const keep = this.keepText;
      // The question must be this server's: a forged or stale id never attaches a vote to another server's row.
      const questionId =
        record.questionId !== undefined && db.prepare('SELECT 1 FROM questions WHERE id = ? AND server = ?').get(record.questionId, record.server) ? record.questionId : null;
      db.prepare(
        `INSERT INTO feedback (server, question_id, voted_at, vote, voter, question, confidence, passages)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (question_id, voter) WHERE question_id IS NOT NULL AND voter IS NOT NULL
         DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at, passages = excluded.passages`,
      ).run(
        record.server,
        questionId,
        this.now(),
        record.vote,
        keep ? this.pseudonym(db, record.userId) : null,
        keep ? record.question : null,
        record.confidence === undefined ? null : round3(record.confidence),
        JSON.stringify(record.passages),
      );
      return true;
    });
  }

  async unanswered(server: string, days: number): Promise<UnansweredReport> {
    const since = this.now() - days * DAY_MS;
    const read = this.options.database.use('reading unanswered questions', { rows: [] as UnansweredRow[], withoutText: 0 }, (db) => {
      // Answers without a match have no vote buttons: the two reasons never meet on one question.
      const noMatch = 'q.server = @server AND q.answered = 0 AND q.asked_at >= @since';
      const votedDown = `q.server = @server AND q.answered = 1 AND q.asked_at >= @since
        AND q.id IN (SELECT question_id FROM feedback WHERE server = @server AND vote = 'down' AND question_id IS NOT NULL)`;
      const shown = 'q.text IS NOT NULL AND q.resolved_at IS NULL';
      const rows = db
        .prepare(
          `SELECT 'question' AS kind, q.id, q.text, q.asked_at AS at, q.link, 'no-match' AS reason FROM questions q WHERE ${noMatch} AND ${shown}
           UNION ALL
           SELECT 'question', q.id, q.text, q.asked_at, q.link, 'down' FROM questions q WHERE ${votedDown} AND ${shown}
           UNION ALL
           SELECT 'feedback', f.id, f.question, f.voted_at, NULL, 'down' FROM feedback f
           WHERE f.server = @server AND f.voted_at >= @since AND f.question_id IS NULL AND f.vote = 'down' AND f.question IS NOT NULL AND f.resolved_at IS NULL
           ORDER BY at DESC LIMIT ${MAX_UNANSWERED_ROWS}`,
        )
        .all({ server, since }) as UnansweredRow[];
      const withoutText = db
        .prepare(`SELECT (SELECT count(*) FROM questions q WHERE ${noMatch} AND q.text IS NULL) + (SELECT count(*) FROM questions q WHERE ${votedDown} AND q.text IS NULL)`)
        .pluck()
        .get({ server, since }) as number;
      return { rows, withoutText };
    });
    const questions: UnansweredQuestion[] = read.rows.map((row) => ({
      ref: { kind: row.kind, id: row.id },
      text: row.text,
      at: row.at,
      link: row.link ?? undefined,
      reason: row.reason,
    }));
    const embed = this.options.embed;
    const grouping = await groupQuestions(questions, {
      embed: embed
        ? async (texts) => {
            try {
              return await embed(texts);
            } catch (error) {
              this.options.logger.warn(`Grouping unanswered questions by keywords: embedding failed (${String(error)})`);
              return null;
            }
          }
        : undefined,
    });
    return { ...grouping, days, withoutText: read.withoutText };
  }

  resolve(server: string, members: readonly LoggedRef[]): number {
    const at = this.now();
    return this.options.database.use('marking questions resolved', 0, (db) =>
      db.transaction(() => {
        const question = db.prepare('UPDATE questions SET resolved_at = ? WHERE id = ? AND server = ? AND resolved_at IS NULL');
        const vote = db.prepare('UPDATE feedback SET resolved_at = ? WHERE id = ? AND server = ? AND resolved_at IS NULL');
        let marked = 0;
        for (const member of members) marked += (member.kind === 'question' ? question : vote).run(at, member.id, server).changes;
        return marked;
      })(),
    );
  }

  stats(server: string, days: number): KnowledgeStats {
    const now = this.now();
    const firstDay = Math.floor(now / DAY_MS) - days + 1;
    const since = firstDay * DAY_MS;
    const empty: KnowledgeStats = { days, questions: 0, answered: 0, noMatch: 0, up: 0, down: 0, latencyP50: undefined, latencyP95: undefined, topDocuments: [], perDay: [] };
    return this.options.database.use('reading statistics', empty, (db) => {
      // One pass over the covering index gives the totals, the days and the latencies.
      const rows = db.prepare('SELECT asked_at, answered, latency_ms FROM questions WHERE server = ? AND asked_at >= ?').raw().all(server, since) as [number, number, number][];
      const perDayCounts = Array.from({ length: days }, () => ({ questions: 0, answered: 0 }));
      const latencies = new Float64Array(rows.length);
      let answered = 0;
      rows.forEach(([askedAt, wasAnswered, latencyMs], index) => {
        const day = perDayCounts[Math.floor(askedAt / DAY_MS) - firstDay];
        if (day) {
          day.questions += 1;
          day.answered += wasAnswered;
        }
        answered += wasAnswered;
        latencies[index] = latencyMs;
      });
      latencies.sort();
      // Nearest rank: the smallest latency at least p of the questions did not exceed.
      const percentile = (p: number) => (rows.length === 0 ? undefined : latencies[Math.max(0, Math.ceil(p * rows.length) - 1)]);
      const votes = db
        .prepare("SELECT coalesce(sum(vote = 'up'), 0) AS up, coalesce(sum(vote = 'down'), 0) AS down FROM feedback WHERE server = ? AND voted_at >= ?")
        .get(server, since) as { up: number; down: number };
      const topDocuments = db
        .prepare('SELECT document, count(*) AS citations FROM answer_passages WHERE server = ? AND asked_at >= ? GROUP BY document ORDER BY citations DESC, document LIMIT 5')
        .all(server, since) as { document: string; citations: number }[];
      return {
        days,
        questions: rows.length,
        answered,
        noMatch: rows.length - answered,
        up: votes.up,
        down: votes.down,
        latencyP50: percentile(0.5),
        latencyP95: percentile(0.95),
        topDocuments,
        perDay: perDayCounts.map((counts, index) => ({ day: new Date((firstDay + index) * DAY_MS).toISOString().slice(0, 10), ...counts })),
      };
    });
  }

  suggestThreshold(server: string, days = 90): ThresholdSuggestion {
    const since = this.now() - days * DAY_MS;
    const votes = this.options.database.use('reading votes', [] as { confidence: number; vote: 'up' | 'down' }[], (db) =>
      db
        .prepare('SELECT confidence, vote FROM feedback WHERE server = ? AND voted_at >= ? AND confidence IS NOT NULL ORDER BY voted_at DESC LIMIT 100000')
        .all(server, since) as { confidence: number; vote: 'up' | 'down' }[],
    );
    return chooseThreshold(votes);
  }

  purgeExpired(): number {
    const cutoff = this.now() - this.options.questionLogDays * DAY_MS;
    const cleared = this.options.database.use('deleting expired question text', 0, (db) =>
      db.transaction(() => {
        const questions = db
          .prepare('UPDATE questions SET text = NULL, asker = NULL, link = NULL WHERE asked_at < ? AND (text IS NOT NULL OR asker IS NOT NULL OR link IS NOT NULL)')
          .run(cutoff).changes;
        const votes = db.prepare('UPDATE feedback SET question = NULL, voter = NULL WHERE voted_at < ? AND (question IS NOT NULL OR voter IS NOT NULL)').run(cutoff).changes;
        return questions + votes;
      })(),
    );
    if (cleared > 0) this.options.logger.info(`Knowledge store: deleted the text of ${cleared} questions and votes older than ${this.options.questionLogDays} days`);
    return cleared;
  }

  /**
   * Imports the votes of the former `feedback.jsonl` log. Each line is imported once whatever the number of runs
   * (keyed by its hash); unreadable lines are counted and skipped. Returns how many votes were new.
   */
  importFeedbackFile(file: string): number {
    if (!fs.existsSync(file)) return 0;
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '');
    let skipped = 0;
    const imported = this.options.database.use('importing feedback.jsonl', 0, (db) =>
      db.transaction(() => {
        const insert = db.prepare(
          `INSERT OR IGNORE INTO feedback (server, question_id, voted_at, vote, voter, question, confidence, passages, import_key)
           VALUES (?, NULL, ?, ?, ?, ?, NULL, ?, ?)`,
        );
        let added = 0;
        for (const line of lines) {
          const entry = parseFeedbackLine(line);
          if (!entry) {
            skipped += 1;
            continue;
          }
          const key = crypto.createHash('sha256').update(line).digest('hex');
          const keep = this.keepText;
          added += insert.run(entry.server, entry.at, entry.vote, keep ? this.pseudonym(db, entry.user) : null, keep ? entry.question : null, JSON.stringify(entry.passages), key).changes;
        }
        return added;
      })(),
    );
    if (imported > 0 || skipped > 0) {
      this.options.logger.info(`Knowledge store: imported ${imported} votes from ${file}${skipped > 0 ? ` (${skipped} unreadable lines skipped)` : ''}; the bot no longer writes that file`);
    }
    this.purgeExpired();
    return imported;
  }

  close(): void {
    this.options.database.close();
  }

  /**
   * A keyed hash of a Discord user id: enough to tell votes of one member apart, not to name them without the
   * key, which is random per database (knowledge_meta).
   */
  private pseudonym(db: SqliteDatabase, userId: string): string {
    if (this.salt === undefined) {
      db.prepare("INSERT OR IGNORE INTO knowledge_meta (key, value) VALUES ('user-hash-key', ?)").run(crypto.randomBytes(32).toString('hex'));
      this.salt = db.prepare("SELECT value FROM knowledge_meta WHERE key = 'user-hash-key'").pluck().get() as string;
    }
    return crypto.createHmac('sha256', this.salt).update(userId).digest('hex').slice(0, 32);
  }
}

interface UnansweredRow {
  readonly kind: 'question' | 'feedback';
  readonly id: number;
  readonly text: string;
  readonly at: number;
  readonly link: string | null;
  readonly reason: 'no-match' | 'down';
}

interface ImportedVote {
  readonly at: number;
  readonly vote: 'up' | 'down';
  readonly server: string;
  readonly user: string;
  readonly question: string;
  readonly passages: readonly unknown[];
}

/** A line of the former feedback.jsonl (src/bot/feedback-log.ts wrote them), or undefined when it is not one. */
function parseFeedbackLine(line: string): ImportedVote | undefined {
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    const at = Date.parse(String(entry.at));
    if (!Number.isFinite(at) || (entry.vote !== 'up' && entry.vote !== 'down') || typeof entry.question !== 'string') return undefined;
    return {
      at,
      vote: entry.vote,
      server: typeof entry.server === 'string' ? entry.server : '',
      user: String(entry.user ?? ''),
      question: entry.question,
      passages: Array.isArray(entry.passages) ? entry.passages : [],
    };
  } catch {
    return undefined;
  }
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
