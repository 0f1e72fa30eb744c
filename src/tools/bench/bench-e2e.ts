import type { Embedder } from '../../embed/embedder.ts';
import type { StoredParagraph } from '../../store/generation.ts';
import { VectorIndex, type HnswParams } from '../../index/vector-index.ts';
import { buildKeywordIndex } from '../../search/keyword-index.ts';
import { rankPassages, type RankOptions, type SearchableIndex } from '../../search/rank-passages.ts';
import { collectGarbage } from './bench-hnsw.ts';
import { sentenceMixture, type EmbeddingCorpus } from './embedding-corpus.ts';
import { summarize, type LatencySummary } from '../shared/statistics.ts';
import { seededRandom } from '../shared/seeded-random.ts';
import { gaussian } from './vectors.ts';

export interface E2eBenchOptions {
  readonly size: number;
  readonly hnsw: HnswParams;
  /** What the engine passes to rankPassages (candidates per retriever, dense weight). */
  readonly rank: Pick<RankOptions, 'candidates' | 'denseWeight'>;
  readonly embedder: Embedder;
  readonly corpus: EmbeddingCorpus;
  readonly questions: readonly string[];
  /** Noise added to each synthetic paragraph's vector so that no two are equal. */
  readonly sigma: number;
  readonly log: (message: string) => void;
}

export interface E2eResult {
  readonly size: number;
  readonly queries: number;
  readonly hnsw: HnswParams;
  readonly candidates: number;
  readonly buildSeconds: { readonly paragraphs: number; readonly bm25: number; readonly hnsw: number };
  /** Process RSS with the model loaded and the seed corpus embedded, before anything is built. */
  readonly rssBeforeBytes: number;
  /** Process RSS with everything built and the model loaded. */
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  /** Memory V8 holds outside its heap (typed-array backing stores). */
  readonly externalBytes: number;
  /** Question → ranked passages: embedQuery + rankPassages (hybrid). */
  readonly total: LatencySummary;
  readonly embedQuery: LatencySummary;
  readonly rankPassages: LatencySummary;
  /** The parts of rankPassages, timed apart: dense search with the scope filter, without it, and BM25. */
  readonly denseSearch: LatencySummary;
  readonly denseSearchUnfiltered: LatencySummary;
  readonly keywordSearch: LatencySummary;
  /** Mean count of keyword-only hits per question, each of which costs rankPassages a vector lookup. */
  readonly keywordOnlyHits: number;
}

/**
 * The question path at scale: `size` synthetic paragraphs ({@link sentenceMixture}: text and vector agree without
 * embedding every paragraph), indexed in a {@link VectorIndex} and a {@link Bm25Index}, then real XQuAD questions embedded and
 * ranked in hybrid mode, one at a time.
 */
export async function benchEndToEnd(options: E2eBenchOptions): Promise<E2eResult> {
  const { size, corpus, embedder } = options;
  const random = seededRandom(size);
  const normal = gaussian(random);

  collectGarbage();
  const rssBeforeBytes = process.memoryUsage().rss;
  // Vectors go into the index as they are made, so that the bench holds no copy that would count in the RSS.
  const index = VectorIndex.create(embedder.dimension, options.hnsw, size);
  const paragraphs = new Map<number, StoredParagraph>();
  let paragraphSeconds = 0;
  let hnswSeconds = 0;
  for (let label = 0; label < size; label++) {
    let started = performance.now();
    const { picks, vector } = sentenceMixture(corpus.sentenceVectors, random, normal, options.sigma);
    const text = picks.map((pick) => corpus.sentences[pick]!).join(' ');
    const ordinal = (label % 50) + 1;
    paragraphs.set(label, { document: `synthetic/${Math.floor(label / 50)}.txt`, title: 'Synthetic', section: '', ordinal, start: 0, end: text.length, text, hash: '', label, scope: '' });
    paragraphSeconds += (performance.now() - started) / 1000;
    started = performance.now();
    index.add(label, vector);
    hnswSeconds += (performance.now() - started) / 1000;
  }
  options.log(`e2e ${size}: HNSW built in ${hnswSeconds.toFixed(1)} s`);

  const started = performance.now();
  const keywords = buildKeywordIndex(paragraphs.values());
  const bm25Seconds = (performance.now() - started) / 1000;
  options.log(`e2e ${size}: BM25 built in ${bm25Seconds.toFixed(1)} s`);

  // As the engine publishes it: knowing the scopes lets a search that may see them all skip the filter.
  const searchable: SearchableIndex = { paragraphs, vectors: index, keywords, scopes: new Set(['']) };
  collectGarbage();
  const memory = process.memoryUsage();
  const rankOptions: RankOptions = { mode: 'hybrid', scopes: new Set(['']), ...options.rank };
  const visible = (label: number) => rankOptions.scopes.has(paragraphs.get(label)?.scope ?? '\0');

  const warmUp = options.questions.slice(0, 10);
  for (const question of warmUp) rankPassages(searchable, question, corpus.center(await embedder.embedQuery(question)), rankOptions);

  const total: number[] = [];
  const embed: number[] = [];
  const rank: number[] = [];
  const queryVectors: Float32Array[] = [];
  for (const question of options.questions) {
    const begin = performance.now();
    const vector = corpus.center(await embedder.embedQuery(question));
    const embedded = performance.now();
    rankPassages(searchable, question, vector, rankOptions);
    const end = performance.now();
    total.push(end - begin);
    embed.push(embedded - begin);
    rank.push(end - embedded);
    queryVectors.push(vector);
  }

  const time = (run: (i: number) => void) => queryVectors.map((_, i) => {
    const begin = performance.now();
    run(i);
    return performance.now() - begin;
  });
  let keywordOnly = 0;
  const denseSearch = time((i) => index.search(queryVectors[i]!, rankOptions.candidates, visible));
  const denseSearchUnfiltered = time((i) => index.search(queryVectors[i]!, rankOptions.candidates));
  const keywordSearch = time((i) => keywords.search(options.questions[i]!, rankOptions.candidates, rankOptions.scopes));
  queryVectors.forEach((vector, i) => {
    const dense = new Set(index.search(vector, rankOptions.candidates, visible).map((hit) => hit.label));
    keywordOnly += keywords.search(options.questions[i]!, rankOptions.candidates, rankOptions.scopes).filter((hit) => !dense.has(hit.id)).length;
  });

  return {
    size,
    queries: options.questions.length,
    hnsw: options.hnsw,
    candidates: rankOptions.candidates,
    buildSeconds: { paragraphs: paragraphSeconds, bm25: bm25Seconds, hnsw: hnswSeconds },
    rssBeforeBytes,
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    externalBytes: memory.external,
    total: summarize(total),
    embedQuery: summarize(embed),
    rankPassages: summarize(rank),
    denseSearch: summarize(denseSearch),
    denseSearchUnfiltered: summarize(denseSearchUnfiltered),
    keywordSearch: summarize(keywordSearch),
    keywordOnlyHits: keywordOnly / Math.max(1, queryVectors.length),
  };
}
