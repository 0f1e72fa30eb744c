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
export const KNOWLEDGE_MIGRATIONS: readonly Migration[] = [];
