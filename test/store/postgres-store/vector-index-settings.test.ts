import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedderOptionsFrom } from '../../../src/configured-embedder.ts';
import { loadTransformersEmbedder } from '../../../src/embed/transformers-embedder.ts';
import type { Embedder } from '../../../src/embed/embedder.ts';
import { DEFAULT_VECTOR_INDEX } from '../../../src/store/pgvector-settings.ts';
import { makeDataDir, openEngine, tinyEngineConfig, writeDocuments } from '../../support/engine-fixture.ts';
import { postgresUnavailable } from '../../support/postgres/test-postgres.ts';
import { PostgresDatabases } from './postgres-database.ts';

const CORPUS = { 'ferry.md': '# Ferry\n\nThe ferry to the island leaves the harbour every hour, from six in the morning until ten at night.' };

const skip = postgresUnavailable();
let databases: PostgresDatabases;
let embedder: Embedder;
beforeAll(async () => {
  if (skip) return;
  databases = await PostgresDatabases.start();
  embedder = await loadTransformersEmbedder(embedderOptionsFrom(tinyEngineConfig(makeDataDir()), { allowDownload: false }));
});
afterAll(async () => {
  await embedder?.close();
  await databases?.server.dispose();
});

/** The reloptions of pgvector's index as the reindex built it. */
async function indexOptions(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ reloptions: string[] }>(`SELECT reloptions FROM pg_class WHERE relname LIKE 'docqa_paragraph_embedding_%'`);
    return rows.flatMap((row) => row.reloptions);
  } finally {
    await client.end();
  }
}

describe.skipIf(skip)('pgvector index settings of the PostgreSQL store', { timeout: 180_000 }, () => {
  const reindexWith = async (url: string, dataDir: string, env: Record<string, string>) => {
    const config = tinyEngineConfig(dataDir, { SEARCH_MODE: 'hybrid', STORE: 'postgres', DATABASE_URL: url, ...env });
    const shared: Embedder = Object.assign(Object.create(embedder) as Embedder, { close: async () => {} });
    const engine = await openEngine(config, { loadEmbedder: async () => shared });
    try {
      await engine.reindex();
    } finally {
      await engine.close();
    }
  };

  it('builds the HNSW index with pgvector\'s measured defaults', async () => {
    const url = await databases.create();
    await reindexWith(url, makeDataDir(CORPUS), {});
    expect(await indexOptions(url)).toEqual([`m=${DEFAULT_VECTOR_INDEX.m}`, `ef_construction=${DEFAULT_VECTOR_INDEX.efConstruction}`]);
  });

  it('builds it with DATABASE_HNSW_M and DATABASE_HNSW_EF_CONSTRUCTION, and rebuilds it at the next reindex when they change', async () => {
    const url = await databases.create();
    const dataDir = makeDataDir(CORPUS);
    await reindexWith(url, dataDir, { DATABASE_HNSW_M: '8', DATABASE_HNSW_EF_CONSTRUCTION: '40', DATABASE_BUILD_MEMORY_MB: '128' });
    expect(await indexOptions(url)).toEqual(['m=8', 'ef_construction=40']);
    // One paragraph more: far below the share of changes that rebuilds the index by itself.
    writeDocuments(path.join(dataDir, 'docs'), { 'lighthouse.md': '# Lighthouse\n\nThe lighthouse keeper lights the lamp at dusk every evening.' });
    await reindexWith(url, dataDir, { DATABASE_HNSW_M: '12', DATABASE_HNSW_EF_CONSTRUCTION: '48' });
    expect(await indexOptions(url)).toEqual(['m=12', 'ef_construction=48']);
  });
});
