import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { KnowledgeDatabase, type Migration } from '../../src/knowledge/database.ts';
import type { Logger } from '../../src/logger.ts';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

function tempFile(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'knowledge-db-'));
  folders.push(folder);
  return path.join(folder, 'nested', 'knowledge.db');
}

function capturingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, debug() {}, info() {}, warn() {}, error: (message) => errors.push(message) };
}

const notes: Migration = { id: '0001-notes', up: (db) => db.exec('CREATE TABLE notes (server TEXT NOT NULL, text TEXT NOT NULL)') };
const notesAuthor: Migration = { id: '0002-notes-author', up: (db) => db.exec("ALTER TABLE notes ADD COLUMN author TEXT NOT NULL DEFAULT ''") };

describe('KnowledgeDatabase', () => {
  it('creates the file in WAL mode and applies the migrations in order', () => {
    const file = tempFile();
    const store = KnowledgeDatabase.open({ file, logger: capturingLogger(), migrations: [notes, notesAuthor] });
    expect(store.available).toBe(true);
    expect(store.schemaVersion()).toBe(2);
    expect(store.use('mode', '', (db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
    store.use('insert', undefined, (db) => db.prepare("INSERT INTO notes (server, text, author) VALUES ('s', 't', 'a')").run());
    store.close();
    expect(fs.existsSync(file)).toBe(true);
  });

  it('migrates a file written by an older version, keeping its rows', () => {
    const file = tempFile();
    const older = KnowledgeDatabase.open({ file, logger: capturingLogger(), migrations: [notes] });
    older.use('insert', undefined, (db) => db.prepare("INSERT INTO notes (server, text) VALUES ('s', 'kept')").run());
    expect(older.schemaVersion()).toBe(1);
    older.close();

    const newer = KnowledgeDatabase.open({ file, logger: capturingLogger(), migrations: [notes, notesAuthor] });
    expect(newer.schemaVersion()).toBe(2);
    expect(newer.use('read', [], (db) => db.prepare('SELECT text, author FROM notes').all())).toEqual([{ text: 'kept', author: '' }]);
    newer.close();
  });

  it('does not apply a migration twice when opened again', () => {
    const file = tempFile();
    KnowledgeDatabase.open({ file, logger: capturingLogger(), migrations: [notes] }).close();
    // A second CREATE TABLE notes would throw: the reopen succeeding shows it was skipped.
    const again = KnowledgeDatabase.open({ file, logger: capturingLogger(), migrations: [notes] });
    expect(again.available).toBe(true);
    expect(again.schemaVersion()).toBe(1);
    again.close();
  });

  it('rolls a failing migration back whole and stays unavailable', () => {
    const file = tempFile();
    const logger = capturingLogger();
    const broken: Migration = { id: '0002-broken', up: (db) => { db.exec('CREATE TABLE half (x)'); db.exec('NOT SQL'); } };
    const store = KnowledgeDatabase.open({ file, logger, migrations: [notes, broken] });
    expect(store.available).toBe(false);
    expect(logger.errors.join('\n')).toMatch(/cannot be opened/);
    const raw = new Database(file);
    expect(raw.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").all()).toEqual([]);
    expect(raw.prepare('SELECT id FROM schema_migrations').pluck().all()).toEqual(['0001-notes']);
    raw.close();
  });

  it('refuses a list that names one migration twice', () => {
    expect(() => KnowledgeDatabase.open({ file: ':memory:', logger: capturingLogger(), migrations: [notes, notes] })).toThrow(/twice/);
  });

  it('opens a corrupt file as unavailable, logs once, and gives every use its fallback', () => {
    const file = tempFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'this is not a database file, just text long enough to look like a header'.repeat(100));
    const logger = capturingLogger();
    const store = KnowledgeDatabase.open({ file, logger, migrations: [notes] });
    expect(store.available).toBe(false);
    expect(store.use('read', 'fallback', () => 'value')).toBe('fallback');
    expect(store.use('read', 'fallback', () => 'value')).toBe('fallback');
    expect(logger.errors).toHaveLength(1);
    expect(logger.errors[0]).toMatch(/cannot be opened.*answering without recording/);
  });

  it('goes on without a database locked by another process, and opens it once the lock is gone', () => {
    const file = tempFile();
    KnowledgeDatabase.open({ file, logger: capturingLogger(), migrations: [notes] }).close();
    const holder = new Database(file);
    holder.pragma('locking_mode = EXCLUSIVE');
    holder.exec("BEGIN EXCLUSIVE; INSERT INTO notes (server, text) VALUES ('s', 'held')");

    let clock = 0;
    const logger = capturingLogger();
    const store = KnowledgeDatabase.open({ file, logger, migrations: [notes], busyTimeoutMs: 10, reopenAfterMs: 1000, now: () => clock });
    expect(store.available).toBe(false);
    expect(logger.errors.join('\n')).toMatch(/locked|busy/i);

    holder.exec('COMMIT');
    holder.close();
    clock = 500;
    expect(store.available).toBe(false);
    clock = 1000;
    expect(store.available).toBe(true);
    expect(store.use('read', [], (db) => db.prepare('SELECT text FROM notes').pluck().all())).toEqual(['held']);
    store.close();
  });

  it('turns a failing statement into the fallback, but lets a bug that is not SQLite propagate', () => {
    const logger = capturingLogger();
    const store = KnowledgeDatabase.open({ file: ':memory:', logger, migrations: [notes] });
    expect(store.use<unknown>('select', 'fallback', (db) => db.prepare('SELECT nothing FROM nowhere').all())).toBe('fallback');
    expect(logger.errors[0]).toMatch(/select failed/);
    expect(() => store.use('bug', 'fallback', () => { throw new TypeError('a bug'); })).toThrow(TypeError);
    store.close();
  });
});
