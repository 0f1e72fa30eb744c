import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createError, describeError, isAppError } from '../../errors.ts';
import type { GenerationWatcher } from '../generation.ts';
import { readHnswVectors } from '../../index/hnsw-file.ts';
import { completeManifest, type Manifest, type ReadResult, type StoredParagraph, type WriteCheckpoint } from '../generation.ts';
import { VectorIndex, type HnswParams, type VectorHit } from '../../index/vector-index.ts';
import type { IndexStore, NearestRequest, NearestResult, NewGeneration, ReleaseWriter, ScopedReads, ScopeParagraphs, StoreHealth } from '../index-store.ts';
import { migrate } from './migrations.ts';
import { watchNotifications } from './notify-watcher.ts';
import { isUnreachable, withRetry, type RetryOptions } from './retry.ts';
import { DEFAULT_VECTOR_INDEX, type PgVectorIndexSettings } from '../pgvector-settings.ts';

export interface PostgresStoreSettings {
  /** postgres://user:password@host:port/database (DATABASE_URL). */
  readonly url: string;
  /** Connections this process keeps at most (DATABASE_POOL_SIZE). */
  readonly poolSize: number;
  /** Longest one statement of a question-time read may run (DATABASE_STATEMENT_TIMEOUT_MS); a reindex's write gets longer. */
  readonly statementTimeoutMs: number;
  /** pgvector's HNSW index: build parameters and memory, and the candidate list (hnsw.ef_search) of questions' searches and of {@link PostgresIndexStore.searchVectors}. */
  readonly vectorIndex?: PgVectorIndexSettings;
  /**
   * `sql` (default): questions are searched by pgvector and each process keeps only the knowledge bases it answers
   * for ({@link IndexStore.scopedReads}). `memory`: each process loads whole generations and answers from them.
   */
  readonly search?: 'sql' | 'memory';
}

/** The NOTIFY channel a commit announces its generation on. */
const CHANNEL = 'docqa_generation';
/** The advisory lock a reindex holds, whichever machine runs it. */
const WRITER_LOCK = 7_240_119_013_002n;
/** The HNSW graph is stored in parts of this size (one bytea row each). */
const PART_BYTES = 8 << 20;
const ROWS_PER_INSERT = 500;
/** A write rebuilds the pgvector index rather than inserting into it when it changes more than this share of rows. */
const REBUILD_SHARE = 0.2;
const WRITE_TIMEOUT_MS = 30 * 60_000;
const VECTORS = 'vectors.hnsw';
/** Bumped whenever the layout of a generation in the database changes (the schema's own versions aside). */
const FORMAT_VERSION = 1;
/** A question's vector search is not retried: it falls back to keywords at once, and skips the database this long after a failure. */
const NEAREST_RETRY_AFTER_MS = 2000;
const READ_RETRY: RetryOptions = { attempts: 3, firstDelayMs: 200 };

/**
 * Index generations in PostgreSQL with pgvector: paragraphs and their vectors (searchable in SQL by cosine
 * distance through an HNSW index, filtered by knowledge base), the manifest and the in-memory HNSW graph of each
 * generation. A reindex holds an advisory lock for its whole run, so one runs at a time across machines, and
 * commits in one transaction: a crash or a lost connection leaves the previous generation whole. The commit
 * NOTIFYs every process, which reads the new generation. With `search: 'sql'` (the default) a process reads only
 * the manifest and the paragraphs of the knowledge bases it answers for ({@link scopedReads}), and a question's
 * dense search is one statement here; while the database is down, questions are answered by keywords from what
 * the process holds, and health() says why. With `search: 'memory'` each process holds whole generations.
 */
export class PostgresIndexStore implements IndexStore {
  readonly location: string;
  private readonly pool: pg.Pool;
  private readonly connection: pg.ClientConfig;
  private readonly vectorIndex: PgVectorIndexSettings;
  private ready: Promise<void> | null = null;
  private writer: pg.PoolClient | null = null;
  private lastFailure: string | null = null;
  private listenerDown: string | null = null;
  private nearestFailedAt = -Infinity;
  readonly scopedReads: ScopedReads | undefined;
  /** The forms DATABASE_URL's password may take in a message: scrubbed from every reason this store gives. */
  private readonly secrets: readonly string[];

  constructor(settings: PostgresStoreSettings) {
    this.location = redact(settings.url);
    this.secrets = passwordForms(settings.url);
    this.vectorIndex = settings.vectorIndex ?? DEFAULT_VECTOR_INDEX;
    this.connection = {
      connectionString: settings.url,
      statement_timeout: settings.statementTimeoutMs,
      connectionTimeoutMillis: 5000,
      keepAlive: true,
      application_name: 'docqa',
    };
    this.pool = new pg.Pool({ ...this.connection, max: settings.poolSize, allowExitOnIdle: true });
    // An idle pooled connection that breaks (the server restarted) is dropped by the pool; it must not crash the process.
    this.pool.on('error', (error) => this.failed(error));
    // Session settings of every pooled connection, so that a question's search is one statement (one round trip);
    // iterative scans keep a search filtered by knowledge base from coming back short.
    this.pool.on('connect', (client) => {
      client.query(`SET hnsw.iterative_scan = relaxed_order; SET hnsw.ef_search = ${Math.max(1, Math.floor(this.vectorIndex.efSearch))}`).catch((error: Error) => this.failed(error));
    });
    this.scopedReads =
      settings.search === 'memory'
        ? undefined
        : { latestManifest: () => this.latestManifest(), readScope: (scope) => this.readScope(scope), nearest: (request) => this.nearest(request) };
  }

  health(): StoreHealth {
    const reason = this.lastFailure ?? this.listenerDown;
    return reason === null ? { healthy: true } : { healthy: false, reason };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  async latestGeneration(): Promise<number | null> {
    const { rows } = await this.query<{ generation: number | null }>('SELECT max(generation) AS generation FROM docqa_generation');
    return rows[0]?.generation ?? null;
  }

  async readLatest(hnsw: HnswParams): Promise<ReadResult> {
    return this.reading(async (client) => {
      const { rows } = await client.query<{ manifest: Manifest; paragraph_order: number[] }>(
        'SELECT manifest, paragraph_order FROM docqa_generation ORDER BY generation DESC LIMIT 1',
      );
      const head = rows[0];
      if (!head) return { status: 'missing' } as const;
      const { manifest } = head;
      if (manifest.formatVersion !== FORMAT_VERSION) {
        return corrupt(`generation ${manifest.generation} has format version ${manifest.formatVersion}; this version reads ${FORMAT_VERSION}`);
      }
      const byLabel = new Map<number, StoredParagraph>();
      const stored = await client.query<{ label: number; paragraph: StoredParagraph }>('SELECT label, paragraph FROM docqa_paragraph');
      for (const row of stored.rows) byLabel.set(row.label, row.paragraph);
      const paragraphs: StoredParagraph[] = [];
      for (const label of head.paragraph_order) {
        const paragraph = byLabel.get(label);
        if (!paragraph) return corrupt(`generation ${manifest.generation} lists paragraph ${label}, which is not stored`);
        paragraphs.push(paragraph);
      }
      if (paragraphs.length !== manifest.paragraphCount || byLabel.size !== paragraphs.length) {
        return corrupt(`${byLabel.size} paragraphs are stored for generation ${manifest.generation}, its manifest says ${manifest.paragraphCount}`);
      }
      let vectors: VectorIndex | null = null;
      if (manifest.model && manifest.hnsw) {
        const graph = await readGraph(client, manifest);
        if (typeof graph === 'string') return corrupt(graph);
        vectors = withTemporaryFile(graph, (file) => VectorIndex.read(file, manifest.model!.dimension, hnsw, manifest.hnsw!.deletedSlots));
        if (vectors.size !== paragraphs.length) return corrupt(`the vector index holds ${vectors.size} vectors for ${paragraphs.length} paragraphs`);
      }
      return { status: 'ok', contents: { manifest, paragraphs, vectors } } as const;
    });
  }

  async readVectorsCopy(manifest: Manifest, hnsw: HnswParams): Promise<VectorIndex | null> {
    if (!manifest.model || !manifest.hnsw) return null;
    const graph = await this.reading((client) => readGraph(client, manifest));
    if (typeof graph === 'string') throw new Error(graph);
    return withTemporaryFile(graph, (file) => VectorIndex.read(file, manifest.model!.dimension, hnsw, manifest.hnsw!.deletedSlots));
  }

  async lockWriter(): Promise<ReleaseWriter> {
    let client: pg.PoolClient;
    try {
      await this.ensureSchema();
      client = await this.pool.connect();
    } catch (error) {
      throw this.unavailable(error);
    }
    const onError = (error: Error) => this.failed(error);
    client.on('error', onError);
    const release = async (broken?: Error) => {
      client.off('error', onError);
      if (this.writer === client) this.writer = null;
      // A session lock ends with its connection: a broken one is destroyed, which releases the lock too.
      if (!broken) await client.query('SELECT pg_advisory_unlock($1)', [WRITER_LOCK.toString()]).catch((error: Error) => (broken = error));
      client.release(broken ?? undefined);
    };
    try {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [WRITER_LOCK.toString()]);
      if (!rows[0]?.locked) {
        await release();
        throw createError('REINDEX_RUNNING');
      }
    } catch (error) {
      if (isAppError(error)) throw error;
      await release(error as Error);
      throw this.unavailable(error);
    }
    this.writer = client;
    this.succeeded();
    return () => release();
  }

  /**
   * Commits a generation in one transaction, on the connection that holds the writer lock (so that a lock lost
   * with its connection cannot let a second writer in: this write then fails). Paragraphs whose content is
   * unchanged keep their rows and vectors; the others are deleted or inserted.
   */
  async writeGeneration(contents: NewGeneration, previousGeneration: number, checkpoint: (point: WriteCheckpoint) => void = () => {}): Promise<Manifest> {
    const client = this.writer;
    if (!client) throw new Error('writeGeneration needs the writer lock (lockWriter)');
    const graph = contents.vectors ? graphBytes(contents.vectors) : null;
    const dimension = contents.manifest.model?.dimension ?? null;
    const modelId = contents.manifest.model?.id ?? '';
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL statement_timeout = ${WRITE_TIMEOUT_MS}`);
      const latest = await client.query<{ generation: number | null }>('SELECT max(generation) AS generation FROM docqa_generation');
      const generation = Math.max(previousGeneration, latest.rows[0]?.generation ?? 0) + 1;

      const existing = await client.query<{ label: number; fingerprint: string }>('SELECT label, fingerprint FROM docqa_paragraph');
      const kept = new Map(existing.rows.map((row) => [row.label, row.fingerprint]));
      const wanted = new Map(contents.paragraphs.map((paragraph) => [paragraph.label, fingerprint(paragraph, modelId)]));
      const removed = [...kept].filter(([label, print]) => wanted.get(label) !== print).map(([label]) => label);
      const added = contents.paragraphs.filter((paragraph) => kept.get(paragraph.label) !== wanted.get(paragraph.label));
      if (removed.length > 0) await client.query('DELETE FROM docqa_paragraph WHERE label = ANY($1::integer[])', [removed]);

      const indexName = vectorIndexName(dimension);
      // Also rebuilt when DATABASE_HNSW_M or _EF_CONSTRUCTION changed since it was built.
      const rebuildIndex = dimension !== null && (added.length > Math.max(1000, REBUILD_SHARE * contents.paragraphs.length) || !(await builtWith(client, indexName, this.vectorIndex)));
      if (rebuildIndex) await client.query(`DROP INDEX IF EXISTS ${indexName}`);
      const vectors = graph && dimension !== null ? vectorsByLabel(graph, dimension, new Set(added.map((paragraph) => paragraph.label))) : new Map<number, Float32Array>();
      for (let first = 0; first < added.length; first += ROWS_PER_INSERT) {
        const batch = added.slice(first, first + ROWS_PER_INSERT);
        await client.query(
          `INSERT INTO docqa_paragraph (label, scope, fingerprint, paragraph, dimension, embedding)
           SELECT * FROM unnest($1::integer[], $2::text[], $3::text[], $4::json[], $5::integer[], $6::text[]::vector[])`,
          [
            batch.map((paragraph) => paragraph.label),
            batch.map((paragraph) => paragraph.scope),
            batch.map((paragraph) => wanted.get(paragraph.label)!),
            batch.map((paragraph) => JSON.stringify(paragraph)),
            batch.map((paragraph) => (vectors.has(paragraph.label) ? dimension : null)),
            // Text per batch only: the text of 100k vectors at once would be ~400 MB of strings on the JS heap.
            batch.map((paragraph) => {
              const vector = vectors.get(paragraph.label);
              return vector ? vectorText(vector) : null;
            }),
          ],
        );
      }
      checkpoint('paragraphs-written');
      if (dimension !== null) {
        // The server's default (64 MB) holds the graph of ~30k paragraphs; past that the build slows down many times.
        await client.query(`SET LOCAL maintenance_work_mem = '${this.vectorIndex.buildMemoryMb}MB'`);
        await client.query(createVectorIndex(dimension, this.vectorIndex));
      }

      const files: Manifest['files'] = graph ? { [VECTORS]: { sha256: createHash('sha256').update(graph).digest('hex'), bytes: graph.length } } : {};
      const manifest = completeManifest(contents, FORMAT_VERSION, generation, files);
      await client.query('INSERT INTO docqa_generation (generation, manifest, paragraph_order) VALUES ($1, $2, $3)', [
        generation,
        JSON.stringify(manifest),
        contents.paragraphs.map((paragraph) => paragraph.label),
      ]);
      for (let part = 0; graph && part * PART_BYTES < graph.length; part++) {
        const data = graph.subarray(part * PART_BYTES, (part + 1) * PART_BYTES);
        await client.query('INSERT INTO docqa_generation_part (generation, part, data) VALUES ($1, $2, $3)', [generation, part, data]);
      }
      checkpoint('vectors-written');
      await client.query('DELETE FROM docqa_generation WHERE generation < $1', [generation]);
      await client.query('SELECT pg_notify($1, $2)', [CHANNEL, String(generation)]);
      checkpoint('before-manifest');
      await client.query('COMMIT');
      this.succeeded();
      return manifest;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      if (isUnreachable(error)) this.failed(error);
      throw error;
    }
  }

  watch(_intervalMs: number, onChange: () => void): GenerationWatcher {
    return watchNotifications({
      connection: this.connection,
      channel: CHANNEL,
      onChange,
      onConnection: (reason) => {
        this.listenerDown = reason === null ? null : `not listening for new generations: ${this.scrub(reason)}`;
      },
      firstDelayMs: 250,
      maxDelayMs: 10_000,
    });
  }

  private async latestManifest(): Promise<Manifest | null> {
    const { rows } = await this.query<{ manifest: Manifest }>('SELECT manifest FROM docqa_generation ORDER BY generation DESC LIMIT 1');
    const manifest = rows[0]?.manifest ?? null;
    if (manifest && manifest.formatVersion !== FORMAT_VERSION) {
      throw new Error(`generation ${manifest.generation} has format version ${manifest.formatVersion}; this version reads ${FORMAT_VERSION}`);
    }
    return manifest;
  }

  /** One knowledge base's paragraphs in their generation's order, and that generation, from one snapshot. */
  private async readScope(scope: string): Promise<ScopeParagraphs> {
    return this.reading(async (client) => {
      const { rows } = await client.query<{ generation: number; paragraph: StoredParagraph }>(
        `SELECT g.generation, p.paragraph FROM (SELECT generation, paragraph_order FROM docqa_generation ORDER BY generation DESC LIMIT 1) g
         CROSS JOIN LATERAL unnest(g.paragraph_order) WITH ORDINALITY AS o(label, position)
         JOIN docqa_paragraph p ON p.label = o.label WHERE p.scope = $1 ORDER BY o.position`,
        [scope],
      );
      const generation = rows[0]?.generation ?? (await client.query<{ generation: number | null }>('SELECT max(generation) AS generation FROM docqa_generation')).rows[0]?.generation ?? 0;
      return { generation, paragraphs: rows.map((row) => row.paragraph) };
    });
  }

  /**
   * A question's vector search, in one statement: the `k` nearest paragraphs of the knowledge bases through
   * pgvector's HNSW index, and the stored vectors of the keyword hits that are not among them (the bot scores
   * those as it does from memory, so both stores give the same answers). Not retried: the question is answered
   * from keywords meanwhile, and for {@link NEAREST_RETRY_AFTER_MS} after a failure the database is not asked.
   */
  private async nearest(request: NearestRequest): Promise<NearestResult> {
    if (this.lastFailure !== null && performance.now() - this.nearestFailedAt < NEAREST_RETRY_AFTER_MS) throw new Error(this.lastFailure);
    const dimension = request.vector.length;
    const values: unknown[] = [vectorText(request.vector), request.scopes, request.k, request.alsoLabels];
    if (request.allowedLabels) values.push(request.allowedLabels);
    // The dimension is written into the statement: the partial HNSW index of that dimension only matches a literal.
    const sql = `WITH nearest AS MATERIALIZED (
        SELECT label, embedding::vector(${dimension}) <=> $1::vector(${dimension}) AS distance FROM docqa_paragraph
        WHERE dimension = ${dimension} AND scope = ANY($2::text[])${request.allowedLabels ? ' AND label = ANY($5::integer[])' : ''}
        ORDER BY distance LIMIT $3)
      SELECT label, distance, NULL::bytea AS vector FROM nearest
      UNION ALL
      SELECT label, NULL, vector_send(embedding) FROM docqa_paragraph
      WHERE label = ANY($4::integer[]) AND dimension = ${dimension} AND label NOT IN (SELECT label FROM nearest)`;
    try {
      const { rows } = await this.withConnection((client) => client.query<{ label: number; distance: number | null; vector: Buffer | null }>(sql, values), { attempts: 1, firstDelayMs: 0 });
      const nearest = [];
      const vectors = new Map<number, Float32Array>();
      for (const row of rows) {
        if (row.vector) vectors.set(row.label, sentVector(row.vector));
        else nearest.push({ label: row.label, similarity: 1 - row.distance! });
      }
      return { nearest, vectors };
    } catch (error) {
      this.nearestFailedAt = performance.now();
      if (!isUnreachable(error)) this.lastFailure = `the vector search in ${this.location} failed: ${describeError(error)}`;
      throw error;
    }
  }

  /**
   * The `k` nearest paragraphs to a unit vector among the given knowledge bases, searched in PostgreSQL through
   * pgvector's HNSW index (iterative scans keep a filtered search from coming back short), with a candidate list
   * of `efSearch`: what the bench measures. Questions go through {@link scopedReads}' `nearest`.
   */
  async searchVectors(query: Float32Array, scopes: readonly string[], k: number, efSearch = this.vectorIndex.efSearch): Promise<VectorHit[]> {
    const dimension = query.length;
    return this.reading(async (client) => {
      await client.query(`SET LOCAL hnsw.ef_search = ${Math.max(1, Math.floor(efSearch))}`);
      await client.query(`SET LOCAL hnsw.iterative_scan = relaxed_order`);
      const { rows } = await client.query<{ label: number; distance: number }>(
        `SELECT label, embedding::vector(${dimension}) <=> $1::vector(${dimension}) AS distance FROM docqa_paragraph
         WHERE dimension = ${dimension} AND scope = ANY($2::text[]) ORDER BY distance LIMIT $3`,
        [vectorText(query), scopes, k],
      );
      return rows.map((row) => ({ label: row.label, similarity: 1 - row.distance }));
    });
  }

  /** Runs `read` in a read-only snapshot (a commit under it changes nothing it sees), retrying while unreachable. */
  private reading<T>(read: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.withConnection(async (client) => {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        const result = await read(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  private async query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    return this.withConnection((client) => client.query<R>(text, values));
  }

  private async withConnection<T>(work: (client: pg.PoolClient) => Promise<T>, retry: RetryOptions = READ_RETRY): Promise<T> {
    try {
      const result = await withRetry(
        async () => {
          await this.ensureSchema();
          const client = await this.pool.connect();
          const onError = (error: Error) => this.failed(error);
          client.on('error', onError);
          try {
            const value = await work(client);
            client.off('error', onError);
            client.release();
            return value;
          } catch (error) {
            client.off('error', onError);
            client.release(isUnreachable(error) ? (error as Error) : undefined);
            throw error;
          }
        },
        retry,
      );
      this.succeeded();
      return result;
    } catch (error) {
      if (isUnreachable(error)) this.failed(error);
      throw error;
    }
  }

  /** Runs the migrations once per process (again after a failure). */
  private ensureSchema(): Promise<void> {
    this.ready ??= (async () => {
      const client = await this.pool.connect();
      try {
        await migrate(client, this.location);
      } finally {
        client.release();
      }
    })().catch((error: unknown) => {
      this.ready = null;
      throw error;
    });
    return this.ready;
  }

  private unavailable(error: unknown) {
    if (isAppError(error)) return error;
    this.failed(error);
    return createError('STORE_UNAVAILABLE', this.location, this.scrub(describeError(error))).causedBy(error);
  }

  private failed(error: unknown): void {
    this.lastFailure = `the index database ${this.location} is unreachable: ${this.scrub(describeError(error))}`;
  }

  /** A driver's message without the password, should one ever quote the connection string. */
  private scrub(message: string): string {
    return this.secrets.reduce((text, secret) => text.split(secret).join('***'), message);
  }

  private succeeded(): void {
    this.lastFailure = null;
  }
}

/** pgvector's HNSW index over the vectors of one dimension (several may coexist while the model changes). */
export function vectorIndexName(dimension: number | null): string {
  return `docqa_paragraph_embedding_${dimension}`;
}

/**
 * The statement that builds {@link vectorIndexName}: an expression index per dimension, since the column itself has
 * none (the model, and so the dimension, can change).
 */
export function createVectorIndex(dimension: number, params: { readonly m: number; readonly efConstruction: number }): string {
  return `CREATE INDEX IF NOT EXISTS ${vectorIndexName(dimension)} ON docqa_paragraph USING hnsw ((embedding::vector(${dimension})) vector_cosine_ops)
    WITH (m = ${params.m}, ef_construction = ${params.efConstruction}) WHERE dimension = ${dimension}`;
}

/** Whether the index, if it exists, was built with these parameters (pgvector keeps them as reloptions). */
async function builtWith(client: pg.ClientBase, indexName: string, params: { readonly m: number; readonly efConstruction: number }): Promise<boolean> {
  const { rows } = await client.query<{ reloptions: string[] | null }>('SELECT reloptions FROM pg_class WHERE relname = $1', [indexName]);
  if (!rows[0]) return true;
  const options = new Set(rows[0].reloptions ?? []);
  return options.has(`m=${params.m}`) && options.has(`ef_construction=${params.efConstruction}`);
}

function corrupt(reason: string): ReadResult {
  return { status: 'corrupt', reason };
}

/** The connection string without its password, for messages and logs. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
  } catch {
    return 'the configured database (DATABASE_URL)';
  }
}

function passwordForms(url: string): string[] {
  try {
    const { password } = new URL(url);
    return password ? [...new Set([password, decodeURIComponent(password)])] : [];
  } catch {
    return [];
  }
}

function fingerprint(paragraph: StoredParagraph, modelId: string): string {
  return createHash('sha256').update(modelId).update('\0').update(JSON.stringify(paragraph)).digest('base64url');
}

/** pgvector's text form of a vector. Nine significant digits: enough for a float32 to come back exactly. */
export function vectorText(vector: ArrayLike<number>): string {
  let text = '[';
  for (let i = 0; i < vector.length; i++) text += (i > 0 ? ',' : '') + vector[i]!.toPrecision(9);
  return text + ']';
}

/** A vector in pgvector's binary form (vector_send): dimension (int16), unused (int16), then big-endian float4s. */
function sentVector(bytes: Buffer): Float32Array {
  const vector = new Float32Array(bytes.readInt16BE(0));
  for (let i = 0; i < vector.length; i++) vector[i] = bytes.readFloatBE(4 + 4 * i);
  return vector;
}

async function readGraph(client: pg.ClientBase, manifest: Manifest): Promise<Buffer | string> {
  const { rows } = await client.query<{ data: Buffer }>('SELECT data FROM docqa_generation_part WHERE generation = $1 ORDER BY part', [manifest.generation]);
  const graph = Buffer.concat(rows.map((row) => row.data));
  const expected = manifest.files[VECTORS];
  if (!expected) return `generation ${manifest.generation} lists no vector index`;
  if (graph.length !== expected.bytes || createHash('sha256').update(graph).digest('hex') !== expected.sha256) {
    return `the vector index of generation ${manifest.generation} does not match its checksum`;
  }
  return graph;
}

/** hnswlib reads and writes files only: its graph goes through a private temporary file. */
function withTemporaryFile<T>(bytes: Buffer | null, use: (file: string) => T): T {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-graph-'));
  const file = path.join(folder, VECTORS);
  try {
    if (bytes) fs.writeFileSync(file, bytes);
    return use(file);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

function graphBytes(vectors: VectorIndex): Buffer {
  return withTemporaryFile(null, (file) => {
    vectors.write(file);
    return fs.readFileSync(file);
  });
}

function vectorsByLabel(graph: Buffer, dimension: number, labels: ReadonlySet<number>): Map<number, Float32Array> {
  const vectors = new Map<number, Float32Array>();
  withTemporaryFile(graph, (file) =>
    readHnswVectors(file, dimension, (label, vector) => {
      if (labels.has(label)) vectors.set(label, Float32Array.from(vector));
    }),
  );
  return vectors;
}
