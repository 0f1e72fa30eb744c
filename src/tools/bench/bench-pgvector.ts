import pg from 'pg';
import { migrate } from '../../store/postgres-store/migrations.ts';
import { createVectorIndex, PostgresIndexStore, vectorIndexName, vectorText } from '../../store/postgres-store/postgres-index-store.ts';
import { seededRandom } from '../shared/seeded-random.ts';
import { summarize } from '../shared/statistics.ts';
import { sentenceMixture, type EmbeddingCorpus } from './embedding-corpus.ts';
import { bruteForceKnn, fillMatrix, gaussian, recallAtK, type VectorMatrix } from './vectors.ts';

/** The parameters measured: HNSW builds (m × ef_construction), then hnsw.ef_search on each build. */
export interface PgvectorGrid {
  readonly m: readonly number[];
  readonly efConstruction: readonly number[];
  readonly efSearch: readonly number[];
  /** maintenance_work_mem of the builds (the server's own setting is also timed once, on the first build). */
  readonly buildMemoryMb: number;
}

export interface PgvectorSearchRow {
  readonly efSearch: number;
  /** all: every knowledge base may answer; server: one server's own plus the shared one (~6% of the rows). */
  readonly filter: 'all' | 'server';
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly recallAt10: number;
  /** Whether PostgreSQL's plan for this search goes through the HNSW index (else it scans and sorts the rows exactly). */
  readonly usesIndex: boolean;
}

export interface PgvectorBuildRow {
  readonly m: number;
  readonly efConstruction: number;
  readonly maintenanceWorkMem: string;
  readonly buildSeconds: number;
  readonly indexBytes: number;
  /** Empty for the build that only times the server's own maintenance_work_mem. */
  readonly searches: readonly PgvectorSearchRow[];
}

export interface PgvectorBenchResult {
  readonly size: number;
  readonly dimension: number;
  readonly servers: number;
  readonly serverRows: number;
  readonly queries: number;
  readonly insertSeconds: number;
  readonly pgvectorVersion: string;
  readonly builds: readonly PgvectorBuildRow[];
}

/** Knowledge bases of the synthetic rows: the shared one ("") and this many servers, in equal shares. */
const SCOPES = 32;
const SERVER = 'server-7';
const ROWS_PER_INSERT = 1000;

/**
 * pgvector's HNSW parameters measured on the store's own table and query: `size` synthetic paragraphs (the
 * end-to-end bench's sentence mixtures) spread over {@link SCOPES} knowledge bases, then for each build of the grid
 * its time and size, and per ef_search the p50/p95 and recall@10 against exact search of the store's search
 * ({@link PostgresIndexStore.searchVectors}, iterative scan), unfiltered and filtered to one server.
 */
export async function benchPgvector(options: {
  readonly url: string;
  readonly size: number;
  readonly corpus: EmbeddingCorpus;
  readonly sigma: number;
  readonly queryVectors: readonly Float32Array[];
  readonly grid: PgvectorGrid;
  readonly log: (message: string) => void;
}): Promise<PgvectorBenchResult> {
  const { size, corpus, queryVectors, grid, log } = options;
  const dimension = corpus.sentenceVectors[0]!.length;
  const random = seededRandom(size);
  const normal = gaussian(random);
  const scopeOf = (label: number) => (label % SCOPES === 0 ? '' : `server-${label % SCOPES}`);
  const texts: string[] = [];
  const matrix = fillMatrix(size, dimension, () => {
    const { picks, vector } = sentenceMixture(corpus.sentenceVectors, random, normal, options.sigma);
    texts.push(picks.map((pick) => corpus.sentences[pick]!).join(' '));
    return vector;
  });
  const serverLabels = Array.from({ length: size }, (_, label) => label).filter((label) => scopeOf(label) === '' || scopeOf(label) === SERVER);
  const serverMatrix = fillMatrix(serverLabels.length, dimension, (row) => matrix.data.subarray(serverLabels[row]! * dimension, (serverLabels[row]! + 1) * dimension));
  const exact = {
    all: queryVectors.map((query) => bruteForceKnn(matrix, query, 10)),
    server: queryVectors.map((query) => bruteForceKnn(serverMatrix, query, 10).map((row) => serverLabels[row]!)),
  };
  const scopes = { all: Array.from({ length: SCOPES }, (_, i) => scopeOf(i)), server: ['', SERVER] };

  const client = new pg.Client({ connectionString: options.url });
  await client.connect();
  const store = new PostgresIndexStore({ url: options.url, poolSize: 2, statementTimeoutMs: 600_000 });
  try {
    await migrate(client, 'the bench database');
    await client.query('TRUNCATE docqa_paragraph');
    await client.query(`DROP INDEX IF EXISTS ${vectorIndexName(dimension)}`);
    let started = performance.now();
    await insertRows(client, matrix, texts, scopeOf);
    await client.query('ANALYZE docqa_paragraph');
    const insertSeconds = (performance.now() - started) / 1000;
    log(`pgvector ${size}: ${size} rows inserted in ${insertSeconds.toFixed(1)} s`);
    const version = (await client.query<{ extversion: string }>(`SELECT extversion FROM pg_extension WHERE extname = 'vector'`)).rows[0]!.extversion;

    const builds: PgvectorBuildRow[] = [];
    const build = async (m: number, efConstruction: number, memory: string | null) => {
      await client.query(`DROP INDEX IF EXISTS ${vectorIndexName(dimension)}`);
      await client.query(memory ? `SET maintenance_work_mem = '${memory}'` : 'RESET maintenance_work_mem');
      const used = (await client.query<{ maintenance_work_mem: string }>('SHOW maintenance_work_mem')).rows[0]!.maintenance_work_mem;
      started = performance.now();
      await client.query(createVectorIndex(dimension, { m, efConstruction }));
      const buildSeconds = (performance.now() - started) / 1000;
      const indexBytes = Number((await client.query<{ bytes: string }>(`SELECT pg_relation_size('${vectorIndexName(dimension)}') AS bytes`)).rows[0]!.bytes);
      log(`pgvector ${size}: m=${m} ef_construction=${efConstruction} maintenance_work_mem=${used}: built in ${buildSeconds.toFixed(1)} s, ${(indexBytes / 2 ** 20).toFixed(0)} MiB`);
      return { m, efConstruction, maintenanceWorkMem: used, buildSeconds, indexBytes };
    };
    // The server's own maintenance_work_mem, once: what a build costs when the graph does not fit in it.
    builds.push({ ...(await build(grid.m[0]!, grid.efConstruction[0]!, null)), searches: [] });
    for (const m of grid.m) {
      for (const efConstruction of grid.efConstruction) {
        const row = await build(m, efConstruction, `${grid.buildMemoryMb}MB`);
        const searches: PgvectorSearchRow[] = [];
        for (const efSearch of grid.efSearch) {
          for (const filter of ['all', 'server'] as const) {
            const latency: number[] = [];
            let recall = 0;
            for (const [i, query] of queryVectors.entries()) {
              const begin = performance.now();
              const hits = await store.searchVectors(query, scopes[filter], 10, efSearch);
              latency.push(performance.now() - begin);
              recall += recallAtK(hits.map((hit) => hit.label), exact[filter][i]!, 10);
            }
            const summary = summarize(latency);
            const usesIndex = await plannedThroughIndex(client, dimension, scopes[filter], queryVectors[0]!);
            searches.push({ efSearch, filter, p50Ms: summary.p50, p95Ms: summary.p95, recallAt10: recall / queryVectors.length, usesIndex });
            log(`pgvector ${size}: m=${m} ef_construction=${efConstruction} ef_search=${efSearch} ${filter}: p50 ${summary.p50.toFixed(2)} ms, recall@10 ${(recall / queryVectors.length).toFixed(3)}`);
          }
        }
        builds.push({ ...row, searches });
      }
    }
    return { size, dimension, servers: SCOPES - 1, serverRows: serverLabels.length, queries: queryVectors.length, insertSeconds, pgvectorVersion: version, builds };
  } finally {
    await store.close();
    await client.end();
  }
}

/** The rows as the store's writer lays them out (scope, a paragraph's JSON, dimension, vector), without a graph. */
async function insertRows(client: pg.Client, matrix: VectorMatrix, texts: readonly string[], scopeOf: (label: number) => string): Promise<void> {
  const { dimension } = matrix;
  for (let first = 0; first < matrix.rows; first += ROWS_PER_INSERT) {
    const labels = Array.from({ length: Math.min(ROWS_PER_INSERT, matrix.rows - first) }, (_, i) => first + i);
    await client.query(
      `INSERT INTO docqa_paragraph (label, scope, fingerprint, paragraph, dimension, embedding)
       SELECT label, scope, '', paragraph, ${dimension}, embedding FROM unnest($1::integer[], $2::text[], $3::json[], $4::text[]::vector[]) AS row (label, scope, paragraph, embedding)`,
      [
        labels,
        labels.map(scopeOf),
        labels.map((label) => JSON.stringify({ document: `synthetic/${Math.floor(label / 50)}.txt`, text: texts[label], label, scope: scopeOf(label) })),
        labels.map((label) => vectorText(matrix.data.subarray(label * dimension, (label + 1) * dimension))),
      ],
    );
  }
}

/** EXPLAIN of the shape of the store's filtered search: whether the planner picks the HNSW index for it. */
async function plannedThroughIndex(client: pg.Client, dimension: number, scopes: readonly string[], query: Float32Array): Promise<boolean> {
  const { rows } = await client.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN SELECT label FROM docqa_paragraph WHERE dimension = ${dimension} AND scope = ANY($1::text[])
     ORDER BY embedding::vector(${dimension}) <=> $2::vector(${dimension}) LIMIT 10`,
    [scopes, vectorText(query)],
  );
  return rows.some((row) => row['QUERY PLAN'].includes(vectorIndexName(dimension)));
}
