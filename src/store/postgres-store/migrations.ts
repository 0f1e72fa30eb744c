import type pg from 'pg';
import { createError } from '../../errors.ts';

/**
 * The schema, one numbered step at a time. A step is never edited once released: a change is a new step. Each
 * runs in the migrating transaction, so a database is at one version or the next, never between.
 *
 * Paragraph rows are not copied per generation: a reindex deletes the rows of changed or removed paragraphs and
 * inserts the new ones in its transaction, so readers see the previous set until it commits (MVCC), and the
 * generation row names the paragraph order and holds the HNSW graph the processes answer from.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE EXTENSION IF NOT EXISTS vector;
   CREATE TABLE docqa_generation (
     generation integer PRIMARY KEY,
     manifest jsonb NOT NULL,
     paragraph_order integer[] NOT NULL,
     committed_at timestamptz NOT NULL DEFAULT now()
   );
   CREATE TABLE docqa_generation_part (
     generation integer NOT NULL REFERENCES docqa_generation ON DELETE CASCADE,
     part integer NOT NULL,
     data bytea NOT NULL,
     PRIMARY KEY (generation, part)
   );
   CREATE TABLE docqa_paragraph (
     label integer PRIMARY KEY,
     scope text NOT NULL,
     fingerprint text NOT NULL,
     paragraph json NOT NULL,
     dimension integer,
     embedding vector
   );
   CREATE INDEX docqa_paragraph_scope ON docqa_paragraph (scope);`,
];

/** Serialises migrations between processes starting at once (any constant unlikely to clash with other apps). */
const MIGRATION_LOCK = 7_240_119_013_001n;

/** Brings the schema to the newest version; returns it. Refuses a database migrated by a newer bot. */
export async function migrate(client: pg.ClientBase, location: string, migrations: readonly string[] = MIGRATIONS): Promise<number> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK.toString()]);
    await client.query(`CREATE TABLE IF NOT EXISTS docqa_schema_migration (
      version integer PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM docqa_schema_migration');
    const current = rows[0]?.version ?? 0;
    if (current > migrations.length) throw createError('STORE_SCHEMA_NEWER', location, current, migrations.length);
    for (let version = current + 1; version <= migrations.length; version++) {
      await client.query(migrations[version - 1]!);
      await client.query('INSERT INTO docqa_schema_migration (version) VALUES ($1)', [version]);
    }
    await client.query('COMMIT');
    return migrations.length;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
