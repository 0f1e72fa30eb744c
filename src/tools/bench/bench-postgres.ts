import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { VectorIndex } from '../../index/vector-index.ts';
import { FileIndexStore } from '../../store/file-store/file-index-store.ts';
import type { NewGeneration } from '../../store/index-store.ts';
import { buildKeywordIndex } from '../../search/keyword-index.ts';
import { rankPassages, type RankOptions, type SearchableIndex } from '../../search/rank-passages.ts';
import type { StoredParagraph } from '../../store/generation.ts';
import type { HnswParams } from '../../index/vector-index.ts';
import { PostgresIndexStore } from '../../store/postgres-store/postgres-index-store.ts';
import { summarize, type LatencySummary } from '../shared/statistics.ts';
import { collectGarbage } from './bench-hnsw.ts';

export interface PostgresBenchResult {
  readonly location: string;
  /** One reindex's commit of every paragraph, vector and the graph (pgvector's HNSW index built in it). */
  readonly writeSeconds: number;
  /** A process start (or a NOTIFY): reading the generation back and building BM25 over it. */
  readonly readSeconds: number;
  readonly keywordSeconds: number;
  /** RSS with the generation read back from the database held beside the bench's own index (two copies). */
  readonly rssBytes: number;
  /** Question → passages as the bot answers with this store: embedQuery + rankPassages over what was read back. */
  readonly total: LatencySummary;
  /** The same generation written to and read back from the file store (INDEX_DIR layout, a temporary folder). */
  readonly file: { readonly writeSeconds: number; readonly readSeconds: number };
  /** Whether every question ranked the same passages with the same scores from both stores' read-back generations. */
  readonly sameRanking: boolean;
  /** Dense search run in PostgreSQL instead (pgvector HNSW, cosine, scope filter), per hnsw.ef_search. */
  readonly sqlDense: readonly { readonly efSearch: number; readonly latency: LatencySummary; readonly recallAt10: number }[];
  /** The in-memory graph's recall@10 against exact search on the same questions, for comparison. */
  readonly memoryRecallAt10: number;
}

/**
 * Writes the bench's generation to PostgreSQL through {@link PostgresIndexStore}, reads it back as a bot process
 * would, and times the question path on it; then times the dense search done by pgvector in SQL, with its recall
 * against exact search, for the ef_search values given.
 */
export async function benchPostgres(options: {
  readonly url: string;
  readonly paragraphs: ReadonlyMap<number, StoredParagraph>;
  readonly vectors: VectorIndex;
  readonly hnsw: HnswParams;
  readonly model: { readonly id: string; readonly dimension: number };
  readonly questions: readonly string[];
  readonly queryVectors: readonly Float32Array[];
  readonly embedQuery: (question: string) => Promise<Float32Array>;
  readonly rankOptions: RankOptions;
  readonly efValues: readonly number[];
  readonly log: (message: string) => void;
}): Promise<PostgresBenchResult> {
  const store = new PostgresIndexStore({ url: options.url, poolSize: 4, statementTimeoutMs: 600_000 });
  try {
    const paragraphs = [...options.paragraphs.values()];
    const generation: NewGeneration = {
      paragraphs,
      vectors: options.vectors,
      manifest: { createdAt: new Date().toISOString(), model: options.model, hnsw: { m: options.hnsw.m, efConstruction: options.hnsw.efConstruction }, nextLabel: paragraphs.length, documents: {} },
    };
    let started = performance.now();
    const release = await store.lockWriter();
    try {
      // Where a slow write spends its time: rows inserted, then pgvector's index and the graph, then the commit.
      const phase = (point: string) => options.log(`e2e postgres: ${point} after ${((performance.now() - started) / 1000).toFixed(1)} s`);
      await store.writeGeneration(generation, (await store.latestGeneration()) ?? 0, phase);
    } finally {
      await release();
    }
    const writeSeconds = (performance.now() - started) / 1000;
    options.log(`e2e postgres: generation written in ${writeSeconds.toFixed(1)} s`);

    started = performance.now();
    const read = await store.readLatest(options.hnsw);
    if (read.status !== 'ok') throw new Error(`the generation just written reads back ${read.status}`);
    const readSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    const keywords = buildKeywordIndex(read.contents.paragraphs);
    const keywordSeconds = (performance.now() - started) / 1000;
    const searchable: SearchableIndex = {
      paragraphs: new Map(read.contents.paragraphs.map((paragraph) => [paragraph.label, paragraph])),
      vectors: read.contents.vectors,
      keywords,
      scopes: new Set(read.contents.paragraphs.map((paragraph) => paragraph.scope)),
    };
    options.log(`e2e postgres: read back in ${readSeconds.toFixed(1)} s, BM25 ${keywordSeconds.toFixed(1)} s`);

    const fromFiles = await throughFileStore(generation, options.hnsw);
    options.log(`e2e file store: written in ${fromFiles.writeSeconds.toFixed(1)} s, read back in ${fromFiles.readSeconds.toFixed(1)} s`);
    const original = fromFiles.searchable;
    let sameRanking = true;
    const total: number[] = [];
    for (const [i, question] of options.questions.entries()) {
      const begin = performance.now();
      const vector = await options.embedQuery(question);
      const ranked = rankPassages(searchable, question, vector, options.rankOptions);
      total.push(performance.now() - begin);
      const expected = rankPassages(original, question, vector, options.rankOptions);
      const key = (list: typeof ranked) => JSON.stringify(list.map((passage) => [passage.paragraph.label, passage.score]));
      if (key(ranked) !== key(expected)) sameRanking = false;
    }
    collectGarbage();
    const rssBytes = process.memoryUsage().rss;

    const exact = options.queryVectors.map((query) => exactTop(read.contents.vectors!, [...searchable.paragraphs.keys()], query, 10));
    const recall = (hits: readonly (readonly number[])[]) =>
      hits.reduce((sum, labels, i) => sum + labels.slice(0, 10).filter((label) => exact[i]!.includes(label)).length, 0) / (10 * hits.length);
    const memoryRecallAt10 = recall(options.queryVectors.map((query) => read.contents.vectors!.search(query, 10).map((hit) => hit.label)));
    const sqlDense = [];
    for (const efSearch of options.efValues) {
      const latency: number[] = [];
      const hits: number[][] = [];
      for (const query of options.queryVectors) {
        const begin = performance.now();
        const found = await store.searchVectors(query, [''], options.rankOptions.candidates, efSearch);
        latency.push(performance.now() - begin);
        hits.push(found.map((hit) => hit.label));
      }
      sqlDense.push({ efSearch, latency: summarize(latency), recallAt10: recall(hits) });
      options.log(`e2e postgres: SQL dense search ef_search=${efSearch}: p50 ${summarize(latency).p50.toFixed(2)} ms, recall@10 ${recall(hits).toFixed(3)}`);
    }
    return { location: store.location, writeSeconds, readSeconds, keywordSeconds, rssBytes, total: summarize(total), file: { writeSeconds: fromFiles.writeSeconds, readSeconds: fromFiles.readSeconds }, sameRanking, sqlDense, memoryRecallAt10 };
  } finally {
    await store.close();
  }
}

async function throughFileStore(generation: NewGeneration, hnsw: HnswParams) {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-bench-index-'));
  try {
    const store = new FileIndexStore(folder);
    let started = performance.now();
    await store.writeGeneration(generation, 0);
    const writeSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    const read = await store.readLatest(hnsw);
    if (read.status !== 'ok') throw new Error(`the file store's generation reads back ${read.status}`);
    const readSeconds = (performance.now() - started) / 1000;
    const { paragraphs, vectors } = read.contents;
    const searchable: SearchableIndex = { paragraphs: new Map(paragraphs.map((paragraph) => [paragraph.label, paragraph])), vectors, keywords: buildKeywordIndex(paragraphs), scopes: new Set(['']) };
    return { writeSeconds, readSeconds, searchable };
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

/** The `k` labels most similar to `query` by exhaustive search (the int8 copies: within 0.01 of exact). */
function exactTop(vectors: VectorIndex, labels: readonly number[], query: Float32Array, k: number): number[] {
  return labels
    .map((label) => ({ label, similarity: vectors.similarity(label, query) ?? -2 }))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, k)
    .map((hit) => hit.label);
}
