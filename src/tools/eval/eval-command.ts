import { parseOptions } from '../../cli/options.ts';
import type { CliIo } from '../../cli/output.ts';
import type { AppConfig, EngineConfig } from '../../config.ts';
import { embedderOptionsFrom } from '../../configured-embedder.ts';
import type { Embedder } from '../../embed/embedder.ts';
import { loadTransformersEmbedder } from '../../embed/transformers-embedder.ts';
import { createError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { SearchMode } from '../../search/search-mode.ts';
import { defaultCharacterWeight, defaultCoverageWeight, defaultGapWeight, defaultMinScore } from '../../search/select-passages.ts';
import { formatTable } from '../shared/table.ts';
import { MAX_WITHHELD_RIGHT } from './metrics.ts';
import { CachedEmbedder } from './cached-embedder.ts';
import { runEval, type AbstentionReport, type EvalReport } from './run-eval.ts';
import { readSquad } from '../shared/squad.ts';

const MODES: readonly SearchMode[] = ['keyword', 'dense', 'hybrid'];
const DEFAULT_HOLDOUT = 0.2;

/** What `docqa eval --json` prints: one object. */
export interface EvalJson extends EvalReport {
  readonly file: string;
  /** The parallel file the paragraph texts came from, or null. */
  readonly paragraphsFile: string | null;
  /** Wall time of the whole run: reading, loading the model, indexing, asking. */
  readonly totalSeconds: number;
}

/**
 * `docqa eval <squad.json> [--paragraphs FILE] [--mode keyword|dense|hybrid] [--limit N] [--holdout F] [--sweep]
 * [--json] [--embedding-cache DIR] [--dense-weight W] [--dense-weight-cjk W] [--fusion convex|rrf] [--candidates N] [--gap-weight W]
 * [--coverage-weight W] [--character-weight W] [--rank-coverage-weight W]` (the last eight override the engine's ranking, for tuning): indexes the paragraphs of a SQuAD-format file, asks its questions, and reports Recall@k, MRR, nDCG,
 * latency and what the "no confident match" threshold does.
 */
export async function evalCommand(config: AppConfig, logger: Logger, io: CliIo, args: readonly string[]): Promise<number> {
  const started = performance.now();
  const { values, positionals } = parseOptions(
    args,
    {
      paragraphs: { type: 'string' },
      mode: { type: 'string' },
      limit: { type: 'string' },
      holdout: { type: 'string' },
      sweep: { type: 'boolean' },
      json: { type: 'boolean' },
      'embedding-cache': { type: 'string' },
      'dense-weight': { type: 'string' },
      'dense-weight-cjk': { type: 'string' },
      fusion: { type: 'string' },
      candidates: { type: 'string' },
      'gap-weight': { type: 'string' },
      'coverage-weight': { type: 'string' },
      'character-weight': { type: 'string' },
      'rank-coverage-weight': { type: 'string' },
    },
    true,
  );
  if (positionals.length !== 1) throw createError('BAD_USAGE', 'eval takes one SQuAD-format file: docqa eval xquad.en.json [--mode keyword]');
  const [file] = positionals as [string];
  const mode = parseMode(values.mode) ?? config.engine.searchMode;
  const limit = parseLimit(values.limit);
  const holdout = parseHoldout(values.holdout);

  const dataset = readSquad(file, { paragraphsFile: values.paragraphs });
  const questions = limit === undefined ? dataset.questions : dataset.questions.slice(0, limit);
  // Dense and hybrid figures without the model would be keyword figures under another name: fail instead of
  // falling back to keywords as the engine does.
  const loaded = mode === 'keyword' ? null : await loadEmbedder(config.engine, logger);
  // Sweeps run the same texts through the same model many times: a cache file makes each run after the first cheap.
  const embedder = loaded && values['embedding-cache'] ? CachedEmbedder.open(loaded, values['embedding-cache']) : loaded;
  const { engine } = config;
  const report = await runEval(
    { paragraphs: dataset.paragraphs, questions },
    {
      mode,
      holdout,
      // XQuAD files are one language each: the first question's script picks the default, as the engine would.
      threshold: engine.minScore ?? defaultMinScore(mode, questions[0]?.question ?? ''),
      sweep: values.sweep ?? false,
      denseWeight: parseFraction('--dense-weight', values['dense-weight']) ?? engine.hybridDenseWeight,
      denseWeightCjk: parseFraction('--dense-weight-cjk', values['dense-weight-cjk']) ?? engine.hybridDenseWeightCjk,
      fusion: parseFusion(values.fusion),
      candidates: parseCandidates(values.candidates),
      gapWeight: parseFraction('--gap-weight', values['gap-weight']) ?? engine.minScoreGapWeight ?? defaultGapWeight(mode, questions[0]?.question ?? ''),
      coverageWeight:
        parseFraction('--coverage-weight', values['coverage-weight']) ?? engine.minScoreCoverageWeight ?? defaultCoverageWeight(mode, questions[0]?.question ?? ''),
      characterWeight:
        parseFraction('--character-weight', values['character-weight']) ?? engine.minScoreCharacterWeight ?? defaultCharacterWeight(mode, questions[0]?.question ?? ''),
      rankCoverageWeight: parseFraction('--rank-coverage-weight', values['rank-coverage-weight']),
      hnsw: { m: engine.hnswM, efConstruction: engine.hnswEfConstruction, efSearch: engine.hnswEfSearch },
      maxQuestionChars: engine.maxQuestionChars,
    },
    { embedder, log: (message) => logger.info(`eval: ${message}`) },
  );
  if (embedder instanceof CachedEmbedder) embedder.save();
  const result: EvalJson = {
    file,
    paragraphsFile: values.paragraphs ?? null,
    ...report,
    totalSeconds: (performance.now() - started) / 1000,
  };
  io.stdout((values.json ? JSON.stringify(result) : formatEvalReport(result)) + '\n');
  return 0;
}

function loadEmbedder(engine: EngineConfig, logger: Logger): Promise<Embedder> {
  logger.info(`eval: loading ${engine.embeddingModel}`);
  return loadTransformersEmbedder(embedderOptionsFrom(engine));
}

function parseMode(value: string | undefined): SearchMode | undefined {
  if (value === undefined) return undefined;
  if (!(MODES as readonly string[]).includes(value)) throw createError('BAD_USAGE', `--mode must be one of ${MODES.join(', ')} (got "${value}")`);
  return value as SearchMode;
}

/** Tuning overrides: a weight in [0, 1]. */
function parseFraction(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !(number >= 0 && number <= 1)) throw createError('BAD_USAGE', `${flag} must be a number from 0 to 1 (got "${value}")`);
  return number;
}

function parseCandidates(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const candidates = Number(value);
  if (!Number.isInteger(candidates) || candidates < 10) throw createError('BAD_USAGE', `--candidates must be a whole number ≥ 10 (got "${value}")`);
  return candidates;
}

function parseFusion(value: string | undefined): 'convex' | 'rrf' | undefined {
  if (value === undefined || value === 'convex' || value === 'rrf') return value;
  throw createError('BAD_USAGE', `--fusion must be convex or rrf (got "${value}")`);
}

function parseLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1) throw createError('BAD_USAGE', `--limit must be a whole number ≥ 1 (got "${value}")`);
  return limit;
}

function parseHoldout(value: string | undefined): number {
  if (value === undefined) return DEFAULT_HOLDOUT;
  const holdout = Number(value);
  if (value.trim() === '' || !(holdout >= 0 && holdout < 1)) {
    throw createError('BAD_USAGE', `--holdout must be a fraction from 0 (no abstention test) to below 1 (got "${value}")`);
  }
  return holdout;
}

/** The report as a person reads it. */
export function formatEvalReport(result: EvalJson): string {
  const source = result.paragraphsFile ? `${result.file} (paragraphs from ${result.paragraphsFile})` : result.file;
  const lines = [
    `docqa eval: ${source}`,
    `Mode ${result.mode}: ${result.paragraphs} paragraphs, ${result.questions} questions` +
      (result.unsearchable > 0 ? ` (${result.unsearchable} unsearchable, counted as misses)` : ''),
    `Indexed in ${result.indexSeconds.toFixed(2)} s; whole run ${result.totalSeconds.toFixed(2)} s`,
    '',
    formatTable(
      ['Recall@1', 'Recall@3', 'Recall@5', 'Recall@10', 'MRR@10', 'nDCG@10', 'p50 ms', 'p95 ms'],
      [[
        percent(result.recall[1]), percent(result.recall[3]), percent(result.recall[5]), percent(result.recall[10]),
        fixed(result.mrr10, 3), fixed(result.ndcg10, 3), fixed(result.latencyMs.p50, 3), fixed(result.latencyMs.p95, 3),
      ]],
    ),
  ];
  const { highlight } = result;
  lines.push(
    '',
    `Highlight: of ${highlight.judged} questions with the right paragraph first, ${percent(highlight.share)} have the gold answer inside the highlighted sentence(s) ` +
      `(mean ${fixed(highlight.meanChars, 0)} of ${fixed(highlight.meanParagraphChars, 0)} characters)`,
  );
  const { abstention } = result;
  if (abstention === null) return lines.join('\n');
  lines.push(
    '',
    `Abstention: ${abstention.heldOutParagraphs} paragraphs (${percent(abstention.holdout)}) left out of a second index; ` +
      `${abstention.heldOutQuestions} questions about them should get "no confident match", ` +
      `${abstention.inIndexQuestions} others (${abstention.rightAnswers} with the right paragraph first) should not`,
    `Confidence judged: ${confidenceFormula(abstention)} ` +
      `(MIN_SCORE_GAP_WEIGHT ${abstention.gapWeight}, MIN_SCORE_COVERAGE_WEIGHT ${abstention.coverageWeight}, ` +
      `MIN_SCORE_CHARACTER_WEIGHT ${abstention.characterWeight})`,
    '',
    formatTable(
      ['threshold', 'answered wrongly', 'right withheld', 'withheld of right'],
      [abstention.configured, ...(abstention.sweep ?? [])].map((rates, i) => [
        `${threshold(rates.threshold)}${i === 0 ? ' (in force)' : ''}`,
        percent(rates.answeredWrongly),
        percent(rates.withheldRight),
        percent(rates.withheldOfRight),
      ]),
    ),
    'answered wrongly: of the questions about left-out paragraphs; right withheld: of the other questions; ' +
      'withheld of right: of those with the right paragraph first',
  );
  if (abstention.sweep !== null) {
    const { suggested } = abstention;
    lines.push(
      '',
      suggested
        ? `Suggested MIN_SCORE for ${result.mode}: ${threshold(suggested.threshold)} (fewest wrong answers, ${percent(suggested.answeredWrongly)}, ` +
            `with right answers withheld under ${percent(MAX_WITHHELD_RIGHT)}: ${percent(suggested.withheldRight)})`
        : `No threshold of the sweep keeps right answers withheld under ${percent(MAX_WITHHELD_RIGHT)}`,
    );
  }
  return lines.join('\n');
}

/** Two decimals, more for a default between the sweep's steps (0.2625, 0.1985). */
function threshold(value: number): string {
  for (let decimals = 2; decimals < 4; decimals++) if (Math.abs(value * 10 ** decimals - Math.round(value * 10 ** decimals)) < 1e-9) return value.toFixed(decimals);
  return value.toFixed(4);
}

function confidenceFormula({ gapWeight, coverageWeight, characterWeight }: AbstentionReport): string {
  if (gapWeight === 0 && coverageWeight === 0 && characterWeight === 0) return 'top score';
  const parts = [`${(1 - gapWeight - coverageWeight - characterWeight).toFixed(2)} × top score`];
  if (gapWeight > 0) parts.push(`${gapWeight.toFixed(2)} × margin over the next distinct passage`);
  if (coverageWeight > 0) parts.push(`${coverageWeight.toFixed(2)} × its best sentence's coverage of the question`);
  if (characterWeight > 0) parts.push(`${characterWeight.toFixed(2)} × the share of the question's characters its best sentence holds`);
  return parts.join(' + ');
}

function percent(value: number | null): string {
  return value === null || !Number.isFinite(value) ? '—' : `${(value * 100).toFixed(1)}%`;
}

function fixed(value: number, decimals: number): string {
  return Number.isFinite(value) ? value.toFixed(decimals) : '—';
}
