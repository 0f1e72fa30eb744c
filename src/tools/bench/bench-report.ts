import path from 'node:path';
import type { E2eResult } from './bench-e2e.ts';
import type { HighlightBenchResult } from './bench-highlight.ts';
import type { HnswRow } from './bench-hnsw.ts';
import type { ModelBenchResult } from './bench-model.ts';
import type { PgvectorBenchResult } from './bench-pgvector.ts';
import type { BenchPlan, StageResult } from './bench-stages.ts';
import type { MachineInfo } from './machine.ts';
import { formatBytes } from '../../format-bytes.ts';
import { formatNumber, formatTable } from '../shared/table.ts';

/** The figures the issue sets as targets. */
export const TARGETS = {
  int8ParagraphsPerSecond: 140,
  queryEmbeddingP50Ms: 1,
  recallAtK: 0.99,
  hnswP50Ms: 1,
  endToEndP50Ms: 5,
  highlightP50Ms: 30,
  rssBytes: 1024 ** 3,
} as const;

/** What `docqa bench --json` prints: one object. */
export interface BenchReport {
  readonly machine: MachineInfo;
  readonly plan: BenchPlan;
  readonly settings: { readonly embeddingBatchSize: number; readonly embeddingThreads: number; readonly embeddingWorkers: number; readonly hnsw: { readonly m: number; readonly efConstruction: number; readonly efSearch: number } };
  readonly stages: readonly StageResult[];
}

export function formatBenchReport(report: BenchReport): string {
  const { machine, settings, plan } = report;
  const header = [
    `docqa bench${plan.quick ? ' --quick' : ''}: ${machine.date}`,
    `Machine:  ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}`,
    `Packages: ${Object.entries(machine.packages).map(([name, version]) => `${name} ${version}`).join(', ')}`,
    `Settings: EMBEDDING_BATCH_SIZE=${settings.embeddingBatchSize}, EMBEDDING_THREADS=${settings.embeddingThreads}, EMBEDDING_WORKERS=${settings.embeddingWorkers}, HNSW M=${settings.hnsw.m} efConstruction=${settings.hnsw.efConstruction} efSearch=${settings.hnsw.efSearch}`,
  ].join('\n');
  const sections = report.stages.map((stage) => {
    const title = `${stage.seconds.toFixed(0)} s, CPU steal ${stage.stealPercent.toFixed(1)}%`;
    switch (stage.stage) {
      case 'model':
        return `## Model: ${plan.configuredModel ? `${stage.model.id} (EMBEDDING_MODEL)` : 'all-MiniLM-L6-v2 shape, random weights'} (${title})\n` +
          `Folder: ${path.relative(process.cwd(), stage.model.folder) || stage.model.folder} (fp32 ${formatBytes(stage.model.fp32Bytes)}, int8 ${formatBytes(stage.model.int8Bytes)}; ` +
          `${stage.model.generatedSeconds === null ? 'already there' : `generated now in ${stage.model.generatedSeconds.toFixed(1)} s`})\n\n` +
          formatModel(stage.result, plan, settings);
      case 'hnsw':
        return `## HNSW at scale (${title})\n${formatHnsw(stage.result, stage.seedVectors, plan)}`;
      case 'e2e':
        return `## End to end: question → ranked passages (${title})\n${formatEndToEnd(stage.result)}`;
      case 'highlight':
        return `## Highlight: the answering sentences of 3 passages (${title})\n${formatHighlight(stage.result)}`;
      case 'pgvector':
        return `## pgvector HNSW parameters on the store's table (${title})\n${formatPgvector(stage.result)}`;
    }
  });
  return [header, ...sections].join('\n\n');
}

function formatModel(result: ModelBenchResult, plan: BenchPlan, settings: BenchReport['settings']): string {
  const { corpus } = result;
  const lines = [
    `Indexing throughput: embedPassages over ${corpus.paragraphs} XQuAD paragraphs as they are (not re-split): ${formatNumber(corpus.tokens)} tokens with [CLS]/[SEP], ` +
      `mean ${corpus.meanTokens.toFixed(1)}, ${corpus.truncated} cut to the ${corpus.window}-token window; median of ${plan.rounds} pass${plan.rounds === 1 ? '' : 'es'}`,
    formatTable(
      ['variant', 'workers', 'threads', 'batch', 'paragraphs/s', 'tokens/s', 's/pass'],
      result.throughput.map((row) => [row.variant, row.workers === 1 ? 'in process' : row.workers, row.threads, row.batchSize, formatNumber(row.paragraphsPerSecond, 1), formatNumber(row.tokensPerSecond), formatNumber(row.seconds, 2)]),
    ),
  ];
  // Indexing as configured: the worker processes (one thread each) if there are several, else this process.
  const configured = (row: { threads: number; workers: number; batchSize: number }) => settings.embeddingWorkers > 1
    ? row.workers === settings.embeddingWorkers
    : row.workers === 1 && row.threads === settings.embeddingThreads && row.batchSize === settings.embeddingBatchSize;
  const best = Object.entries(result.best).map(([variant, top]) => {
    const row = result.throughput.find((r) => r.variant === variant && r.threads === top.threads && r.workers === top.workers && r.batchSize === top.batchSize)!;
    const atDefault = result.throughput.find((r) => r.variant === variant && configured(r));
    return `${variant} ${top.workers > 1 ? `${top.workers} workers x ` : ''}${top.threads} thread(s), batch ${top.batchSize} (${formatNumber(row.paragraphsPerSecond, 1)}/s` +
      `${atDefault && !configured(top) ? ` vs ${formatNumber(atDefault.paragraphsPerSecond, 1)}/s as configured` : ''})`;
  });
  lines.push(`Best: ${best.join('; ')}. Configured: EMBEDDING_WORKERS=${settings.embeddingWorkers}, EMBEDDING_THREADS=${settings.embeddingThreads}, EMBEDDING_BATCH_SIZE=${settings.embeddingBatchSize}.`);
  const int8 = Math.max(...result.throughput.filter((row) => row.variant === 'int8').map((row) => row.paragraphsPerSecond));
  if (Number.isFinite(int8)) lines.push(verdict(`int8 ≥ ${TARGETS.int8ParagraphsPerSecond} paragraphs/s`, int8 >= TARGETS.int8ParagraphsPerSecond, `best ${formatNumber(int8, 1)}`));

  lines.push('', `Query embedding latency: embedQuery, ${result.queryLatency[0]?.queries ?? 0} XQuAD questions one at a time (after 10 warm-up)`);
  lines.push(formatTable(
    ['variant', 'threads', 'p50 ms', 'p95 ms', 'mean ms', 'tokenize p50 ms'],
    result.queryLatency.map((row) => [row.variant, row.threads, formatNumber(row.p50Ms, 2), formatNumber(row.p95Ms, 2), formatNumber(row.meanMs, 2), formatNumber(row.tokenizeP50Ms, 3)]),
  ));
  for (const row of result.queryLatency) lines.push(verdict(`${row.variant} ${row.threads} thread(s) p50 ≤ ${TARGETS.queryEmbeddingP50Ms} ms`, row.p50Ms <= TARGETS.queryEmbeddingP50Ms, `${formatNumber(row.p50Ms, 2)} ms`));
  return lines.join('\n');
}

function formatHnsw(rows: readonly HnswRow[], seedVectors: number, plan: BenchPlan): string {
  const first = rows[0];
  if (!first) return 'No sizes measured.';
  const lines = [
    `VectorIndex (hnswlib, cosine), dimension 384, M=${first.m}, efConstruction=${first.efConstruction}, k=${plan.k}, ${first.queries} queries.`,
    `embedding-like: ${formatNumber(seedVectors)} centred int8-model embeddings of XQuAD paragraphs and sentences, padded with perturbed copies (σ=${plan.sigma.copies}). ` +
      `sentence-mixture: normalised sums of 2–6 of those sentence vectors (σ=${plan.sigma.mixtures}), as in the end-to-end bench. ` +
      `Their queries: XQuAD question embeddings (not indexed). random: uniform unit vectors and random queries.`,
    `Each row ran in a fresh process: "RSS before" is Node + data (+ the int8 model for the real-text rows), "RSS after" adds the built index.`,
    formatTable(
      ['data', 'size', 'build s', 'inserts/s', 'file', 'load s', 'RSS before', 'RSS after', 'exact p50 ms', 'exact p99 ms'],
      rows.map((row) => [row.dataset, formatNumber(row.size), formatNumber(row.buildSeconds, 1), formatNumber(row.size / row.buildSeconds), formatBytes(row.fileBytes),
        formatNumber(row.loadSeconds, 2), formatBytes(row.rssBeforeBytes), formatBytes(row.rssBytes), formatNumber(row.bruteForce.p50Ms, 2), formatNumber(row.bruteForce.p99Ms, 2)]),
    ),
    '',
    formatTable(
      ['data', 'size', 'ef', 'p50 ms', 'p99 ms', `Recall@${plan.k}`, 'exact p50 ms'],
      rows.flatMap((row) => row.sweep.map((ef) => [row.dataset, formatNumber(row.size), ef.ef, formatNumber(ef.p50Ms, 3), formatNumber(ef.p99Ms, 3), formatNumber(ef.recallAtK, 4), formatNumber(row.bruteForce.p50Ms, 2)])),
    ),
  ];
  for (const row of rows) {
    const fit = row.sweep.find((ef) => ef.recallAtK >= TARGETS.recallAtK && ef.p50Ms <= TARGETS.hnswP50Ms);
    lines.push(`${row.dataset} ${formatNumber(row.size)}: ` + (fit
      ? `smallest ef with Recall@${plan.k} ≥ ${TARGETS.recallAtK} at p50 ≤ ${TARGETS.hnswP50Ms} ms: ${fit.ef} (${formatNumber(fit.recallAtK, 4)}, ${formatNumber(fit.p50Ms, 3)} ms)`
      : `no ef reaches Recall@${plan.k} ≥ ${TARGETS.recallAtK} at p50 ≤ ${TARGETS.hnswP50Ms} ms (best recall ${formatNumber(Math.max(...row.sweep.map((ef) => ef.recallAtK)), 4)})`));
  }
  const largestSize = Math.max(...rows.map((row) => row.size));
  if (largestSize < 1_000_000) {
    const largest = rows.filter((row) => row.size === largestSize);
    const minutes = largest.map((row) => 1_000_000 / (row.size / row.buildSeconds) / 60);
    lines.push(`1M vectors: not run. At the insert rates measured at ${formatNumber(largestSize)} a 1M build would take ${formatNumber(Math.min(...minutes))}–${formatNumber(Math.max(...minutes))} min ` +
      `(more, as the graph deepens), with ~${formatBytes((largest[0]!.fileBytes / largestSize) * 1_000_000)} of index and 1.4 GiB of vectors for the exact scan.`);
  }
  return lines.join('\n');
}

function formatEndToEnd(result: E2eResult): string {
  const row = (name: string, summary: E2eResult['total']) => [name, formatNumber(summary.p50, 3), formatNumber(summary.p95, 3), formatNumber(summary.p99, 3), formatNumber(summary.mean, 3)];
  const postgres = result.postgres ? formatPostgres(result.postgres) : [];
  return [
    `${formatNumber(result.size)} synthetic paragraphs (2–6 random XQuAD sentences each), indexed as the engine does, hybrid mode, ${result.candidates} candidates per retriever, ` +
      `HNSW M=${result.hnsw.m} efConstruction=${result.hnsw.efConstruction} efSearch=${result.hnsw.efSearch}; ${result.queries} XQuAD questions one at a time.`,
    `Built in: paragraphs ${result.buildSeconds.paragraphs.toFixed(1)} s, BM25 ${result.buildSeconds.bm25.toFixed(1)} s, HNSW ${result.buildSeconds.hnsw.toFixed(1)} s. ` +
      `Process RSS ${formatBytes(result.rssBytes)}, model loaded (before building: ${formatBytes(result.rssBeforeBytes)}; ` +
      `JS heap in use ${formatBytes(result.heapUsedBytes)}, outside the heap ${formatBytes(result.externalBytes)}; the HNSW index lives in native memory, about its file size).`,
    formatTable(['step', 'p50 ms', 'p95 ms', 'p99 ms', 'mean ms'], [
      row('question → ranked passages', result.total),
      row('  embedQuery', result.embedQuery),
      row('  rankPassages', result.rankPassages),
      row('    dense search (scope filter)', result.denseSearch),
      row('    dense search (no filter)', result.denseSearchUnfiltered),
      row('    BM25 search', result.keywordSearch),
    ]),
    `Keyword-only hits per question (each scored from the int8 vector copy): ${result.keywordOnlyHits.toFixed(1)}`,
    verdict(`p50 ≤ ${TARGETS.endToEndP50Ms} ms`, result.total.p50 <= TARGETS.endToEndP50Ms, `${formatNumber(result.total.p50, 2)} ms`),
    verdict(`RSS ≤ ${formatBytes(TARGETS.rssBytes)}`, result.rssBytes <= TARGETS.rssBytes, formatBytes(result.rssBytes)),
    ...postgres,
  ].join('\n');
}

function formatHighlight(result: HighlightBenchResult): string {
  const rows = [['keywords', result.keyword] as const, ...(result.model ? [[`keywords + ${result.model.id}`, result.model] as const] : [])];
  const slowest = result.model ?? result.keyword;
  return [
    `Added latency of Searcher.highlight over the 3 passages keyword search ranks first, ${result.questions} XQuAD questions, ` +
      `${formatNumber(result.meanSentences, 1)} sentences per question (with the model, each passage's 3 best by keywords embedded, in one batch)`,
    formatTable(['evidence', 'p50 ms', 'p95 ms'], rows.map(([name, timing]) => [name, formatNumber(timing.p50Ms, 2), formatNumber(timing.p95Ms, 2)])),
    ...(result.model ? [`embedQuery in the same run, for scale: p50 ${formatNumber(result.model.embedQueryP50Ms, 2)} ms.`] : []),
    verdict(`p50 < ${TARGETS.highlightP50Ms} ms`, slowest.p50Ms < TARGETS.highlightP50Ms, `${formatNumber(slowest.p50Ms, 2)} ms`),
  ].join('\n');
}

function verdict(target: string, met: boolean, measured: string): string {
  return `Target ${target}: ${met ? 'met' : 'NOT met'} (${measured}).`;
}

function formatPostgres(result: NonNullable<E2eResult['postgres']>): string[] {
  const dense = result.sqlDense.map((row) => [row.efSearch, formatNumber(row.latency.p50, 2), formatNumber(row.latency.p95, 2), formatNumber(row.recallAt10, 3)]);
  return [
    '',
    `PostgreSQL store (${result.location}): generation written in ${result.writeSeconds.toFixed(1)} s, read back in ${result.readSeconds.toFixed(1)} s (+ BM25 ${result.keywordSeconds.toFixed(1)} s); ` +
      `RSS with both copies ${formatBytes(result.rssBytes)}.`,
    `Question → passages from the generation read back: p50 ${formatNumber(result.total.p50, 3)} ms, p95 ${formatNumber(result.total.p95, 3)} ms; ` +
      `the same ranking as from the file store's copy (written in ${result.file.writeSeconds.toFixed(1)} s, read back in ${result.file.readSeconds.toFixed(1)} s): ${result.sameRanking ? 'yes' : 'NO'}.`,
    `Dense search in SQL instead (pgvector HNSW, cosine, scope filter; in-memory graph recall@10 ${formatNumber(result.memoryRecallAt10, 3)}, both against int8 exhaustive search):`,
    formatTable(['hnsw.ef_search', 'p50 ms', 'p95 ms', 'recall@10'], dense),
  ];
}

function formatPgvector(result: PgvectorBenchResult): string {
  const rows = result.builds.flatMap((build) => {
    const head = [build.m, build.efConstruction, build.maintenanceWorkMem, formatNumber(build.buildSeconds, 1), formatBytes(build.indexBytes)];
    if (build.searches.length === 0) return [[...head, '', '', '', '', '', '', '']];
    const byEf = [...new Set(build.searches.map((search) => search.efSearch))];
    return byEf.map((efSearch, i) => {
      const all = build.searches.find((search) => search.efSearch === efSearch && search.filter === 'all')!;
      const server = build.searches.find((search) => search.efSearch === efSearch && search.filter === 'server')!;
      return [...(i === 0 ? head : ['', '', '', '', '']), efSearch, formatNumber(all.recallAt10, 3) + (all.usesIndex ? '' : ' (exact)'), formatNumber(all.p50Ms, 2), formatNumber(all.p95Ms, 2), formatNumber(server.recallAt10, 3) + (server.usesIndex ? '' : ' (exact)'), formatNumber(server.p50Ms, 2), formatNumber(server.p95Ms, 2)];
    });
  });
  return [
    `${formatNumber(result.size)} synthetic paragraphs of ${result.dimension} dimensions in the store's table (pgvector ${result.pgvectorVersion}), inserted in ${formatNumber(result.insertSeconds, 1)} s; ` +
      `the shared knowledge base and ${result.servers} servers in equal shares. ${result.queries} XQuAD questions, top 10 through the store's search (iterative scan), ` +
      `recall against exact search: over every row (all), and over one server's ${formatNumber(result.serverRows)} rows with the shared ones (server); ` +
      `"(exact)": PostgreSQL's plan skips the HNSW index (scope index, exact sort).`,
    formatTable(['m', 'ef_construction', 'maintenance_work_mem', 'build s', 'index', 'ef_search', 'all recall@10', 'all p50 ms', 'all p95 ms', 'server recall@10', 'server p50 ms', 'server p95 ms'], rows),
  ].join('\n');
}
