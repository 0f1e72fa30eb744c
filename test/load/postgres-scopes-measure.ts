/**
 * Figures for STORE=postgres at scale (a script, not a unit test: it prints figures). No model needed:
 *
 *   npm run postgres-measure -- [--servers 20] [--per-server 2000] [--shared 2000] [--questions 200]
 *
 * Starts the test PostgreSQL (test/support/postgres/), commits one generation of synthetic paragraphs (random
 * words, random unit vectors of 384 dimensions: memory and latency depend on sizes, not on meaning) for the
 * shared documents and `--servers` server knowledge bases, then, each in a fresh process, opens the engine on it
 * and asks questions for 0, 1, 5 and all of the servers: RSS after a GC, and question → passages p50/p95
 * (Engine.ask with a synthetic embedder, so the figures are retrieval, fusion, selection and highlight, not the
 * model). POSTGRES_SEARCH=memory (the whole generation in each process) is measured beside it.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { parseConfig } from '../../src/config.ts';
import type { Embedder } from '../../src/embed/embedder.ts';
import { documentKey } from '../../src/engine/document-sources.ts';
import { Engine } from '../../src/engine/engine.ts';
import { VectorIndex } from '../../src/index/vector-index.ts';
import type { DocumentEntry, StoredParagraph } from '../../src/store/generation.ts';
import { PostgresIndexStore } from '../../src/store/postgres-store/postgres-index-store.ts';
import { configuredStore } from '../../src/engine-wiring.ts';
import { summarize } from '../../src/tools/shared/statistics.ts';
import { seededRandom } from '../../src/tools/shared/seeded-random.ts';
import { gaussian, randomUnitVector } from '../../src/tools/bench/vectors.ts';
import { startTestPostgres } from '../support/postgres/test-postgres.ts';

const { values } = parseArgs({
  options: {
    servers: { type: 'string', default: '20' },
    'per-server': { type: 'string', default: '2000' },
    shared: { type: 'string', default: '2000' },
    questions: { type: 'string', default: '200' },
    child: { type: 'boolean', default: false },
    url: { type: 'string' },
    asking: { type: 'string' },
    search: { type: 'string', default: 'sql' },
  },
});
const DIMENSION = 384;
const MODEL = 'synthetic/random-384';
const HNSW = { m: 16, efConstruction: 64, efSearch: 100 };
const WORDS = Array.from({ length: 8000 }, (_, i) => `w${i.toString(36)}`);
const serverId = (i: number) => String(1_000_000 + i);

/** A question of a few corpus words, and its (synthetic) vector, both from the text. */
const syntheticEmbedder: Embedder = {
  modelId: MODEL,
  dimension: DIMENSION,
  maxTokens: 256,
  countTokens: (text) => text.split(/\s+/).length,
  embedQuery: async (text) => vectorOf(text),
  embedPassages: async (texts) => texts.map(vectorOf),
  close: async () => {},
};

function vectorOf(text: string): Float32Array {
  let seed = 2166136261;
  for (let i = 0; i < text.length; i++) seed = Math.imul(seed ^ text.charCodeAt(i), 16777619);
  return randomUnitVector(DIMENSION, gaussian(seededRandom(seed)));
}

function sentence(random: () => number, words: number): string {
  return Array.from({ length: words }, () => WORDS[Math.floor(random() * random() * WORDS.length)]).join(' ') + '.';
}

async function writeCorpus(url: string, servers: number, perServer: number, shared: number): Promise<number> {
  const random = seededRandom(13);
  const normal = gaussian(random);
  const paragraphs: StoredParagraph[] = [];
  const documents: Record<string, DocumentEntry> = {};
  const scopes = ['', ...Array.from({ length: servers }, (_, i) => serverId(i))];
  for (const scope of scopes) {
    const count = scope === '' ? shared : perServer;
    for (let i = 0; i < count; i++) {
      const document = `doc-${Math.floor(i / 50)}.md`;
      const text = `${sentence(random, 25)} ${sentence(random, 25)} ${sentence(random, 20)}`;
      paragraphs.push({ label: paragraphs.length, scope, document, title: document, section: `Section ${i % 7}`, ordinal: (i % 50) + 1, start: 0, end: text.length, text, hash: String(paragraphs.length) });
      const key = documentKey(scope, document);
      const entry = documents[key];
      documents[key] = { scope, path: document, title: document, contentHash: key, paragraphs: (entry?.paragraphs ?? 0) + 1, indexedAt: new Date(0).toISOString() };
    }
  }
  const vectors = VectorIndex.create(DIMENSION, HNSW, paragraphs.length);
  for (const paragraph of paragraphs) vectors.add(paragraph.label, randomUnitVector(DIMENSION, normal));
  const store = new PostgresIndexStore({ url, poolSize: 2, statementTimeoutMs: 3_600_000 });
  const release = await store.lockWriter();
  try {
    await store.writeGeneration(
      { paragraphs, vectors, manifest: { createdAt: new Date().toISOString(), model: { id: MODEL, dimension: DIMENSION }, hnsw: { m: HNSW.m, efConstruction: HNSW.efConstruction }, nextLabel: paragraphs.length, documents } },
      0,
    );
  } finally {
    await release();
    await store.close();
  }
  return paragraphs.length;
}

/** In a fresh process: open the engine, ask for the first `asking` servers (and the shared documents), report. */
async function child(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-scopes-'));
  const config = parseConfig(
    { DATA_DIR: dataDir, STORE: 'postgres', DATABASE_URL: values.url!, POSTGRES_SEARCH: values.search!, SEARCH_MODE: 'hybrid', HNSW_M: String(HNSW.m), HNSW_EF_CONSTRUCTION: String(HNSW.efConstruction), INDEX_WATCH_MS: '0', LOG_LEVEL: 'silent' },
    dataDir,
  ).engine;
  const engine = await Engine.open(config, { loadEmbedder: async () => syntheticEmbedder, store: configuredStore(config) });
  const asking = Number(values.asking);
  const questions = Number(values.questions);
  const random = seededRandom(99);
  const latencies: number[] = [];
  const servers = Array.from({ length: asking }, (_, i) => serverId(i));
  for (const server of servers) await engine.ask(sentence(random, 4), { server }); // loads its knowledge base
  for (let i = 0; i < questions; i++) {
    const server = servers.length > 0 ? servers[i % servers.length] : undefined;
    const started = performance.now();
    await engine.ask(sentence(random, 5), server ? { server } : {});
    latencies.push(performance.now() - started);
  }
  global.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 100));
  global.gc?.();
  const stats = engine.stats();
  const result = { rssMiB: process.memoryUsage().rss / 2 ** 20, heapMiB: process.memoryUsage().heapUsed / 2 ** 20, knowledgeBases: stats.knowledgeBasesInMemory, paragraphs: stats.paragraphsInMemory, latency: summarize(latencies) };
  await engine.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify(result) + '\n');
}

async function main(): Promise<void> {
  const servers = Number(values.servers);
  const server = await startTestPostgres();
  try {
    let started = performance.now();
    const total = await writeCorpus(server.url, servers, Number(values['per-server']), Number(values.shared));
    console.log(`committed ${total} paragraphs (shared ${values.shared}, ${servers} servers × ${values['per-server']}) in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((load) => load.toFixed(1)).join(' ')} (timings are inflated by other work on it)`);
    console.log('search  servers asked  knowledge bases  paragraphs held  RSS MiB  heap MiB  ask p50 ms  ask p95 ms');
    const runs: [string, number][] = [...new Set([0, 1, 5, servers].map((n) => Math.min(n, servers)))].map((n): [string, number] => ['sql', n]);
    runs.push(['memory', 1]);
    for (const [search, asking] of runs) {
      started = performance.now();
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--expose-gc', '--import', 'tsx', 'test/load/postgres-scopes-measure.ts', '--child', '--url', server.url, '--asking', String(asking), '--search', search, '--questions', values.questions!],
        { maxBuffer: 1 << 20 },
      );
      const r = JSON.parse(stdout.trim().split('\n').at(-1)!);
      console.log(
        [search.padEnd(6), String(asking).padStart(14), String(r.knowledgeBases).padStart(16), String(r.paragraphs).padStart(16), r.rssMiB.toFixed(0).padStart(8), r.heapMiB.toFixed(0).padStart(9), r.latency.p50.toFixed(1).padStart(11), r.latency.p95.toFixed(1).padStart(11)].join(' '),
      );
    }
  } finally {
    await server.dispose();
  }
}

await (values.child ? child() : main());
