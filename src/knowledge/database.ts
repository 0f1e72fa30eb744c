import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describeError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { KNOWLEDGE_MIGRATIONS, type Migration } from './migrations.ts';

export type { Migration };
export type SqliteDatabase = Database.Database;

export interface KnowledgeDatabaseOptions {
  /** The SQLite file (created with its folder when missing); ':memory:' for a throwaway store. */
  readonly file: string;
  readonly logger: Logger;
  /** The schema, oldest first (default: KNOWLEDGE_MIGRATIONS). */
  readonly migrations?: readonly Migration[];
  /** Longest a write waits for another connection's lock before it gives up (the bot blocks meanwhile). */
  readonly busyTimeoutMs?: number;
  /** How long after a failed open the next use tries again (a lock released, a file replaced). */
  readonly reopenAfterMs?: number;
  /** The clock for the reopen delay (tests inject one). */
  readonly now?: () => number;
}

/**
 * The bot's SQLite store of what it learns (questions, answers, feedback, settings), in WAL mode so readers never
 * wait for the writer.
 *
 * Recording is never allowed to cost an answer: when the file is corrupt, locked or unwritable, opening logs the
 * reason and the store stays unavailable (`use` returns its fallback) until a later use, at least `reopenAfterMs`
 * on, opens it. A statement that fails later (a lock held past the busy timeout, a full disk) is logged and its
 * caller gets the fallback too.
 */
export class KnowledgeDatabase {
  private db: SqliteDatabase | undefined;
  private nextOpenAt = 0;
  private lastLogged = '';
  private readonly migrations: readonly Migration[];
  private readonly now: () => number;

  private constructor(private readonly options: KnowledgeDatabaseOptions) {
    this.migrations = options.migrations ?? KNOWLEDGE_MIGRATIONS;
    this.now = options.now ?? Date.now;
    checkMigrationIds(this.migrations);
  }

  /** Opens (creating and migrating) the database; never throws for a bad file, see the class comment. */
  static open(options: KnowledgeDatabaseOptions): KnowledgeDatabase {
    const store = new KnowledgeDatabase(options);
    store.connection();
    return store;
  }

  /** Whether the database is open now (false while it is corrupt, locked or closed). */
  get available(): boolean {
    return this.connection() !== undefined;
  }

  /**
   * Runs `work` on the database, or returns `fallback` when it is unavailable or `work` throws a SQLite error
   * (logged with `what`). Errors of other kinds are bugs and propagate.
   */
  use<T>(what: string, fallback: T, work: (db: SqliteDatabase) => T): T {
    const db = this.connection();
    if (!db) return fallback;
    try {
      return work(db);
    } catch (error) {
      if (!isSqliteError(error)) throw error;
      this.logOnce(`Knowledge store: ${what} failed (${describeError(error)}); going on without it`);
      if (isFileBroken(error)) this.drop();
      return fallback;
    }
  }

  /** The schema version: how many migrations this file has applied (0 when unavailable). */
  schemaVersion(): number {
    return this.use('reading the schema version', 0, (db) => db.pragma('user_version', { simple: true }) as number);
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
    this.nextOpenAt = Number.POSITIVE_INFINITY;
  }

  private connection(): SqliteDatabase | undefined {
    if (this.db || this.now() < this.nextOpenAt) return this.db;
    let db: SqliteDatabase | undefined;
    try {
      const { file } = this.options;
      if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
      db = new Database(file, { timeout: this.options.busyTimeoutMs ?? 250 });
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      migrate(db, this.migrations, this.options.logger);
      this.db = db;
      this.lastLogged = '';
      return db;
    } catch (error) {
      db?.close();
      this.nextOpenAt = this.now() + (this.options.reopenAfterMs ?? 60_000);
      this.logOnce(`Knowledge store ${this.options.file} cannot be opened (${describeError(error)}); answering without recording`);
      return undefined;
    }
  }

  private drop(): void {
    this.db?.close();
    this.db = undefined;
    this.nextOpenAt = this.now() + (this.options.reopenAfterMs ?? 60_000);
  }

  /** The same failure repeated (every question on a locked file) is logged once, not once per question. */
  private logOnce(message: string): void {
    if (message === this.lastLogged) return;
    this.lastLogged = message;
    this.options.logger.error(message);
  }
}

/**
 * Applies, in one transaction each, the migrations this file has not applied yet. Applied ones are recorded by id
 * in `schema_migrations` (so migrations added by two branches at once merge without renumbering) and counted in
 * `PRAGMA user_version`. A file migrated by a newer build (ids this build does not know) opens as it is.
 */
export function migrate(db: SqliteDatabase, migrations: readonly Migration[], logger: Logger): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied = new Set((db.prepare('SELECT id FROM schema_migrations').pluck().all() as string[]));
  const record = db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)');
  for (const migration of migrations) {
    if (applied.has(migration.id)) continue;
    db.transaction(() => {
      migration.up(db);
      record.run(migration.id, new Date().toISOString());
    })();
    applied.add(migration.id);
    logger.info(`Knowledge store: applied migration ${migration.id}`);
  }
  const known = new Set(migrations.map((migration) => migration.id));
  const unknown = [...applied].filter((id) => !known.has(id));
  if (unknown.length > 0) logger.warn(`Knowledge store: migrations from a newer version present (${unknown.join(', ')})`);
  db.pragma(`user_version = ${applied.size}`);
}

function checkMigrationIds(migrations: readonly Migration[]): void {
  const seen = new Set<string>();
  for (const { id } of migrations) {
    if (seen.has(id)) throw new Error(`Knowledge store: migration id ${id} appears twice`);
    seen.add(id);
  }
}

type SqliteError = Error & { readonly code: string };

function isSqliteError(error: unknown): error is SqliteError {
  return error instanceof Database.SqliteError;
}

/** Errors after which the open connection is no use: the next use reopens (or keeps failing quietly). */
function isFileBroken(error: SqliteError): boolean {
  return /^SQLITE_(CORRUPT|NOTADB|IOERR|CANTOPEN|READONLY)/.test(error.code);
}
