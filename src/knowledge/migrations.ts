import type Database from 'better-sqlite3';

/**
 * One step of the knowledge store's schema. Ids are applied once each, in list order, and recorded in the file;
 * never edit or reorder an applied migration: add a new one at the end.
 */
export interface Migration {
  /** Unique and stable, e.g. '0001-knowledge-log'. */
  readonly id: string;
  readonly up: (db: Database.Database) => void;
}

/**
 * The schema of the knowledge store, oldest first. Modules that need tables (the question log, per-server
 * settings) append their migration here. Every table keyed by a server has `server` as the first column of its
 * key, so one server's rows are never read with another's.
 */
export const KNOWLEDGE_MIGRATIONS: readonly Migration[] = [
  {
    // The question log (src/knowledge/question-log.ts). Times are milliseconds since the epoch (UTC). The columns
    // that say who asked or what (text, asker, link; a vote's question and voter) are cleared after
    // QUESTION_LOG_DAYS; the counts, scores and latencies stay.
    id: '0001-question-log',
    up: (db) =>
      db.exec(`
        CREATE TABLE knowledge_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE questions (
          id INTEGER PRIMARY KEY,
          server TEXT NOT NULL,
          channel TEXT,
          asker TEXT,
          asked_at INTEGER NOT NULL,
          via TEXT NOT NULL,
          text TEXT,
          link TEXT,
          mode TEXT NOT NULL,
          answered INTEGER NOT NULL,
          confidence REAL,
          latency_ms REAL NOT NULL,
          resolved_at INTEGER
        );
        -- Covering what /stats reads of each question: one index scan, no table lookups.
        CREATE INDEX questions_by_server_time ON questions (server, asked_at, answered, latency_ms);
        -- The "no confident match" questions, which /unanswered reads: a third of the log or less.
        CREATE INDEX questions_no_match ON questions (server, asked_at) WHERE answered = 0;
        CREATE TABLE answer_passages (
          server TEXT NOT NULL,
          question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
          rank INTEGER NOT NULL,
          asked_at INTEGER NOT NULL,
          document TEXT NOT NULL,
          section TEXT NOT NULL,
          paragraph INTEGER NOT NULL,
          score REAL NOT NULL,
          PRIMARY KEY (question_id, rank)
        );
        CREATE INDEX answer_passages_by_server_time ON answer_passages (server, asked_at, document);
        CREATE TABLE feedback (
          id INTEGER PRIMARY KEY,
          server TEXT NOT NULL,
          question_id INTEGER REFERENCES questions (id) ON DELETE SET NULL,
          voted_at INTEGER NOT NULL,
          vote TEXT NOT NULL CHECK (vote IN ('up', 'down')),
          voter TEXT,
          question TEXT,
          confidence REAL,
          passages TEXT NOT NULL,
          import_key TEXT UNIQUE,
          resolved_at INTEGER
        );
        CREATE UNIQUE INDEX feedback_one_vote_per_voter ON feedback (question_id, voter) WHERE question_id IS NOT NULL AND voter IS NOT NULL;
        CREATE INDEX feedback_by_server_time ON feedback (server, voted_at);
        CREATE INDEX feedback_by_question ON feedback (question_id);
      `),
  },
  // Per-server `/settings` (src/knowledge/server-settings.ts); inline so that module may import this list's type only.
  {
    id: '0002-server-settings',
    up: (db) => db.exec('CREATE TABLE server_settings (server TEXT PRIMARY KEY, settings TEXT NOT NULL, updated_at INTEGER NOT NULL)'),
  },
];
