import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { embedderOptionsFrom } from '../../../src/configured-embedder.ts';
import { loadTransformersEmbedder } from '../../../src/embed/transformers-embedder.ts';
import type { Embedder } from '../../../src/embed/embedder.ts';
import { Engine } from '../../../src/engine/engine.ts';
import { isAppError } from '../../../src/errors.ts';
import { MIGRATIONS, migrate } from '../../../src/store/postgres-store/migrations.ts';
import { PostgresIndexStore } from '../../../src/store/postgres-store/postgres-index-store.ts';
import { makeDataDir, openEngine, tinyEngineConfig, tinyModelEnv, writeDocuments } from '../../support/engine-fixture.ts';
import { postgresUnavailable } from '../../support/postgres/test-postgres.ts';
import { waitFor } from '../../support/wait-for.ts';
import { PostgresDatabases } from './postgres-database.ts';

const CORPUS = {
  'account.md': '# Account help\n\n## Password reset\n\nTo reset a forgotten password, open the login page and choose "Forgot password".\n\n## Two-factor\n\nTwo-factor codes come from the authenticator app; a lost phone is handled by support.',
  'weather.txt': 'Paris weather today is sunny in the morning with rain expected in the evening across the city.',
  'billing.md': '# Billing\n\nInvoices are sent on the first day of each month. Refunds take five working days to reach your card.',
  'travel/ferry.md': '# Ferry\n\nThe ferry to the island leaves the harbour every hour, from six in the morning until ten at night.',
};
const SERVER = '1001';
const SERVER_DOCUMENT = '# Rules\n\nVoice channels close at midnight; the ferry club meets on Sundays at the harbour.';
const QUESTIONS = [
  'How do I reset my password?',
  'When does the ferry leave the harbour?',
  'How long does a refund take?',
  'What is the weather in Paris?',
  'When do voice channels close?',
  'quantum chromodynamics lattice',
];

const skip = postgresUnavailable();
let databases: PostgresDatabases;
let embedder: Embedder;
const opened: Engine[] = [];
const pools: pg.Pool[] = [];

beforeAll(async () => {
  if (skip) return;
  databases = await PostgresDatabases.start();
  embedder = await loadTransformersEmbedder(embedderOptionsFrom(tinyEngineConfig(makeDataDir()), { allowDownload: false }));
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((engine) => engine.close()));
  await Promise.all(pools.splice(0).map((pool) => pool.end()));
});
afterAll(async () => {
  await embedder?.close();
  await databases?.server.dispose();
});

/** An engine on `dataDir` with the tiny model; a shared embedder, which Engine.close must not close. */
async function open(dataDir: string, env: Record<string, string>, checkpoint?: (point: string) => void): Promise<Engine> {
  const config = tinyEngineConfig(dataDir, { SEARCH_MODE: 'hybrid', ...env });
  const shared: Embedder = Object.assign(Object.create(embedder) as Embedder, { close: async () => {} });
  const engine = await openEngine(config, { loadEmbedder: async () => shared, ...(checkpoint ? { checkpoint } : {}) });
  opened.push(engine);
  return engine;
}
const onPostgres = (url: string, env: Record<string, string> = {}) => ({ STORE: 'postgres', DATABASE_URL: url, ...env });

/** A channel of SERVER limited to some documents. */
const LIMITED = ['travel/', 'rules.md'];

async function answersOf(engine: Engine) {
  const answers = [];
  for (const question of QUESTIONS) {
    for (const server of [undefined, SERVER, '2002']) answers.push(await engine.ask(question, { k: 5, ...(server ? { server } : {}) }));
    answers.push(await engine.ask(question, { k: 5, server: SERVER, documents: LIMITED }));
  }
  return answers;
}

// Several reindexes and processes each: minutes on a loaded 2-core machine (a ceiling, not a timing assertion).
describe.skipIf(skip)('the PostgreSQL store', { timeout: 240_000 }, () => {
  it('gives exactly the answers of the file store for the same documents, after a full build and after a change', async () => {
    const url = await databases.create();
    const dataDir = makeDataDir(CORPUS);
    writeDocuments(path.join(dataDir, 'servers', SERVER, 'docs'), { 'rules.md': SERVER_DOCUMENT });
    const onFiles = await open(dataDir, {});
    const inDatabase = await open(dataDir, onPostgres(url));
    await onFiles.reindex();
    await inDatabase.reindex();
    expect(await answersOf(inDatabase)).toEqual(await answersOf(onFiles));
    const listed = (engine: Engine) => engine.listDocuments(SERVER).map(({ indexedAt: _, ...document }) => document);
    expect(listed(inDatabase)).toEqual(listed(onFiles));

    // An incremental reindex keeps the rows of unchanged paragraphs and replaces the others.
    await onFiles.addDocument(SERVER, 'harbour.md', new TextEncoder().encode('# Harbour\n\nThe harbour office opens at eight and sells ferry tickets.'));
    await onFiles.removeDocument(SERVER, 'harbour.md');
    writeDocuments(path.join(dataDir, 'docs'), { 'weather.txt': 'Lyon weather is cloudy all day.' });
    expect(await onFiles.reindex()).toMatchObject({ changed: 1, rebuilt: false });
    expect(await inDatabase.reindex()).toMatchObject({ changed: 1, rebuilt: false });
    expect(await answersOf(inDatabase)).toEqual(await answersOf(onFiles));

    // A process started afterwards reads the same generation back from the database.
    const restarted = await open(dataDir, onPostgres(url));
    expect(restarted.ready).toBe(true);
    expect(await answersOf(restarted)).toEqual(await answersOf(onFiles));
    // The limited channel was answered from its documents only, and densely.
    const limited = await restarted.ask('When does the ferry leave the harbour?', { server: SERVER, documents: LIMITED });
    expect(limited.mode).toBe('hybrid');
    expect(limited.passages.length).toBeGreaterThan(0);
    expect(limited.passages.every((passage) => passage.document === 'rules.md' || passage.document.startsWith('travel/'))).toBe(true);
  });

  it('holds in memory the shared documents and only the knowledge bases of the servers that asked, reloaded with each new generation', async () => {
    const url = await databases.create();
    const dataDir = makeDataDir(CORPUS);
    const servers = { [SERVER]: SERVER_DOCUMENT, '2002': '# Chess club\n\nThe chess club plays on Tuesdays.\n\nBring your own clock.', '3003': '# Choir\n\nThe choir rehearses on Fridays.' };
    for (const [server, text] of Object.entries(servers)) writeDocuments(path.join(dataDir, 'servers', server, 'docs'), { 'rules.md': text });
    const writer = await open(dataDir, onPostgres(url));
    await writer.reindex();
    const all = writer.stats().paragraphs;
    const own = (server: string) => writer.listDocuments(server).filter((document) => document.scope === server).reduce((sum, document) => sum + document.paragraphs, 0);

    const reader = await open(dataDir, onPostgres(url));
    const shared = reader.stats().paragraphsInMemory;
    expect(reader.stats()).toMatchObject({ paragraphs: all, knowledgeBasesInMemory: 1 });
    expect(shared).toBeLessThan(all);
    expect((await reader.ask('When do voice channels close?', { server: SERVER })).passages[0]?.document).toBe('rules.md');
    expect(reader.stats()).toMatchObject({ knowledgeBasesInMemory: 2, paragraphsInMemory: shared + own(SERVER) });
    await reader.ask('When does the chess club play?', { server: '2002' });
    expect(reader.stats()).toMatchObject({ knowledgeBasesInMemory: 3, paragraphsInMemory: shared + own(SERVER) + own('2002') });

    // A new generation (committed by another process) is loaded with the knowledge bases held, and no others.
    writeDocuments(path.join(dataDir, 'servers', SERVER, 'docs'), { 'ferry-club.md': '# Ferry club\n\nThe ferry club sails at dawn.' });
    await writer.reindex();
    await waitFor(() => reader.stats().generation === 2, 'the reader to load generation 2', 60_000);
    expect(own(SERVER)).toBe(2);
    expect(reader.stats()).toMatchObject({ knowledgeBasesInMemory: 3, paragraphsInMemory: shared + own(SERVER) + own('2002') });
    expect((await reader.ask('When does the ferry club sail?', { server: SERVER })).passages[0]?.document).toBe('ferry-club.md');
    expect(writer.stats()).toMatchObject({ knowledgeBasesInMemory: 1, paragraphsInMemory: shared });
  });

  it('keeps each server\'s knowledge base to that server, in the SQL vector search too', async () => {
    const url = await databases.create();
    const dataDir = makeDataDir(CORPUS);
    writeDocuments(path.join(dataDir, 'servers', SERVER, 'docs'), { 'rules.md': SERVER_DOCUMENT });
    await (await open(dataDir, onPostgres(url))).reindex();
    const store = new PostgresIndexStore({ url, poolSize: 2, statementTimeoutMs: 10_000 });
    try {
      const query = await embedder.embedQuery('When do voice channels close?');
      const read = await store.readLatest({ m: 24, efConstruction: 200, efSearch: 100 });
      if (read.status !== 'ok') throw new Error(read.status);
      const scopeOf = (label: number) => read.contents.paragraphs.find((paragraph) => paragraph.label === label)!.scope;
      const shared = await store.searchVectors(query, [''], 50);
      const withServer = await store.searchVectors(query, ['', SERVER], 50);
      expect(shared.length).toBe(read.contents.paragraphs.filter((paragraph) => paragraph.scope === '').length);
      expect(new Set(shared.map((hit) => scopeOf(hit.label)))).toEqual(new Set(['']));
      expect(new Set(withServer.map((hit) => scopeOf(hit.label)))).toEqual(new Set(['', SERVER]));
      // The same nearest neighbours, in the same order, as the in-memory graph the bot answers from.
      const inMemory = read.contents.vectors!.search(query, 50, (label) => ['', SERVER].includes(scopeOf(label)));
      expect(withServer.map((hit) => hit.label)).toEqual(inMemory.map((hit) => hit.label));
    } finally {
      await store.close();
    }
  });

  it('refuses a second reindex while another connection holds the advisory lock, and runs it once released', async () => {
    const url = await databases.create();
    const dataDir = makeDataDir(CORPUS);
    const engine = await open(dataDir, onPostgres(url));
    const elsewhere = new PostgresIndexStore({ url, poolSize: 2, statementTimeoutMs: 10_000 });
    const release = await elsewhere.lockWriter();
    try {
      const refused = await engine.reindex().catch((error: unknown) => error);
      expect(isAppError(refused, 'REINDEX_RUNNING')).toBe(true);
      expect(await elsewhere.lockWriter().catch((error: unknown) => isAppError(error, 'REINDEX_RUNNING'))).toBe(true);
    } finally {
      await release();
      await elsewhere.close();
    }
    expect(await engine.reindex()).toMatchObject({ added: 4 });
  });

  it('leaves the previous generation whole when a reindex fails or its process is killed before the commit', async () => {
    const url = await databases.create();
    const dataDir = makeDataDir(CORPUS);
    const first = await open(dataDir, onPostgres(url));
    await first.reindex();
    const before = await answersOf(first);

    writeDocuments(path.join(dataDir, 'docs'), { 'weather.txt': 'Lyon weather is cloudy all day.', 'new.md': 'A brand new document about lighthouses.' });
    const failing = await open(dataDir, onPostgres(url, { INDEX_WATCH_MS: '0' }), (point) => {
      if (point === 'before-manifest') throw new Error('disk full');
    });
    const failure = await failing.reindex().catch((error: unknown) => error);
    expect(isAppError(failure, 'INDEX_WRITE_FAILED')).toBe(true);

    // A real crash: SIGKILL in the middle of the commit transaction, after its NOTIFY was queued.
    const crash = await runChild(['--import', 'tsx', 'test/support/crash-child.ts', 'vectors-written'], {
      ...tinyModelEnv(dataDir),
      ...onPostgres(url),
      LOG_LEVEL: 'silent',
    });
    expect(crash.signal).toBe('SIGKILL');

    const reopened = await open(dataDir, onPostgres(url));
    expect(reopened.stats().generation).toBe(1);
    expect(await answersOf(reopened)).toEqual(before);
    expect(await reopened.reindex()).toMatchObject({ added: 1, changed: 1 }); // and the lock died with the process
  });

  it('tells every engine of a new generation through NOTIFY: a second engine answers from it without a reindex', async () => {
    const url = await databases.create();
    const dataDir = makeDataDir(CORPUS);
    const writer = await open(dataDir, onPostgres(url));
    await writer.reindex();
    const reader = await open(dataDir, onPostgres(url, { INDEX_WATCH_MS: '3600000' }));
    expect(reader.stats().generation).toBe(1);

    writeDocuments(path.join(dataDir, 'docs'), { 'lighthouse.md': '# Lighthouse\n\nThe lighthouse keeper lights the lamp at dusk every evening.' });
    await writer.reindex();
    await waitFor(() => reader.stats().generation === 2, 'the second engine to load generation 2', 60_000);
    expect((await reader.ask('When is the lighthouse lamp lit?')).passages[0]?.document).toBe('lighthouse.md');
  });

  it('migrates a new database once, and refuses one migrated by a newer version', async () => {
    const url = await databases.create();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      expect(await migrate(client, 'test')).toBe(MIGRATIONS.length);
      expect(await migrate(client, 'test')).toBe(MIGRATIONS.length);
      const { rows } = await client.query<{ version: number }>('SELECT version FROM docqa_schema_migration ORDER BY version');
      expect(rows.map((row) => row.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
      const { rows: extension } = await client.query("SELECT extversion FROM pg_extension WHERE extname = 'vector'");
      expect(extension).toHaveLength(1);

      await client.query('INSERT INTO docqa_schema_migration (version) VALUES ($1)', [MIGRATIONS.length + 1]);
      const store = new PostgresIndexStore({ url, poolSize: 1, statementTimeoutMs: 10_000 });
      const refused = await store.latestGeneration().catch((error: unknown) => error);
      await store.close();
      expect(isAppError(refused, 'STORE_SCHEMA_NEWER')).toBe(true);
      expect((refused as Error).message).toContain(`schema version ${MIGRATIONS.length + 1}`);
      expect((refused as Error).message).not.toContain('password');
    } finally {
      await client.end();
    }
  });
});

function runChild(args: string[], env: Record<string, string>): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('exit', (code, signal) => resolve({ code, signal, output }));
  });
}
