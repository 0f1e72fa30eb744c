import { createHash } from 'node:crypto';
import type { SearchMode } from '../../search/search-mode.ts';
import type { Embedder } from '../../embed/embedder.ts';
import { CANDIDATES, Searcher } from '../../engine/searcher.ts';
import { isAppError } from '../../errors.ts';
import type { StoredParagraph } from '../../store/generation.ts';
import { VectorIndex, type HnswParams } from '../../index/vector-index.ts';
import { buildKeywordIndex } from '../../search/keyword-index.ts';
import { normalizeQuestion } from '../../search/question.ts';
import { inMemoryRetrieval, type RankOptions, type RetrievableIndex } from '../../search/rank-passages.ts';
import {
  abstentionAt,
  holdOut,
  percentile,
  pickThreshold,
  rankMetrics,
  SWEEP_THRESHOLDS,
  type AbstentionOutcomes,
  type AbstentionRates,
  type AnsweredOutcome,
  type Rank,
  type RecallAt,
} from './metrics.ts';
import type { Span } from '../../search/sentences.ts';
import type { EvalDataset, EvalParagraph, GoldAnswer } from '../shared/squad.ts';

/** How deep into the ranking a relevant paragraph is looked for: every metric stops at 10. */
const RANK_DEPTH = 10;

/** Candidates per retriever, as the engine asks for a first page of answers. */
export const EVAL_CANDIDATES = CANDIDATES;

export interface EvalOptions {
  readonly mode: SearchMode;
  /** Fraction of paragraphs left out of the abstention index, in [0, 1); 0 skips the abstention test. */
  readonly holdout: number;
  /** The "no confident match" threshold in force (MIN_SCORE or the mode's default). */
  readonly threshold: number;
  /** Also report every threshold of {@link SWEEP_THRESHOLDS} and the one to pick. */
  readonly sweep: boolean;
  readonly denseWeight: number;
  /** HYBRID_DENSE_WEIGHT_CJK (see {@link RankOptions}). */
  readonly denseWeightCjk?: number;
  readonly fusion?: RankOptions['fusion'];
  /** MIN_SCORE_GAP_WEIGHT or the mode's default: the margin's weight in {@link answerConfidence}, as the engine uses it. */
  readonly gapWeight?: number;
  /** MIN_SCORE_COVERAGE_WEIGHT or the mode's default: the top passage's sentence coverage's weight in {@link answerConfidence}. */
  readonly coverageWeight?: number;
  /** MIN_SCORE_CHARACTER_WEIGHT or the mode's default: the top passage's character coverage's weight in {@link answerConfidence}. */
  readonly characterWeight?: number;
  /** Weight of sentence coverage in the ranking; default the engine's. */
  readonly rankCoverageWeight?: number;
  /** Candidates per retriever; default {@link EVAL_CANDIDATES}. */
  readonly candidates?: number;
  readonly hnsw: HnswParams;
  readonly maxQuestionChars: number;
}

export interface EvalDependencies {
  /** Required unless the mode is keyword. */
  readonly embedder: Embedder | null;
  readonly log?: (message: string) => void;
  /** Milliseconds; injectable so that tests can make timings deterministic. */
  readonly now?: () => number;
}

/** What the abstention test found: see {@link AbstentionRates} for the two rates. */
export interface AbstentionReport {
  readonly holdout: number;
  readonly heldOutParagraphs: number;
  readonly heldOutQuestions: number;
  readonly inIndexQuestions: number;
  /** Questions about indexed paragraphs whose paragraph came first (the right answers a threshold can withhold). */
  readonly rightAnswers: number;
  /** The margin weight the thresholds apply with (see answerConfidence). */
  readonly gapWeight: number;
  /** The sentence coverage weight the thresholds apply with (see answerConfidence). */
  readonly coverageWeight: number;
  /** The character coverage weight the thresholds apply with (see answerConfidence). */
  readonly characterWeight: number;
  readonly configured: AbstentionRates;
  /** Null without `sweep`. */
  readonly sweep: readonly AbstentionRates[] | null;
  /** The sweep's threshold with the fewest wrong answers that withholds under 5% (null without sweep or if none does). */
  readonly suggested: AbstentionRates | null;
}

export interface EvalReport {
  readonly mode: SearchMode;
  readonly paragraphs: number;
  readonly questions: number;
  readonly recall: RecallAt;
  readonly mrr10: number;
  readonly ndcg10: number;
  /** Per question: query embedding, ranking and selection on the full index (the searcher the engine runs). */
  readonly latencyMs: { readonly p50: number; readonly p95: number };
  /** Building the full index: embedding the paragraphs, HNSW and BM25. */
  readonly indexSeconds: number;
  /** Questions that cannot be searched (empty, too long, no words): counted as misses. */
  readonly unsearchable: number;
  readonly abstention: AbstentionReport | null;
  /** Of the questions whose paragraph came first (and that have gold answers): how often the highlight holds the answer. */
  readonly highlight: HighlightReport;
}

export interface HighlightReport {
  readonly judged: number;
  /** Questions whose highlighted sentence(s) contain a gold answer. */
  readonly containing: number;
  /** containing / judged; NaN when nothing was judged. */
  readonly share: number;
  /** Mean length of the highlight, in characters, against the mean length of the paragraph. */
  readonly meanChars: number;
  readonly meanParagraphChars: number;
}

/**
 * Measures how well the engine's ranking finds the paragraph that answers each question, and how well its score
 * threshold abstains on questions whose paragraph is missing.
 *
 * Two indexes are built in memory, each paragraph one unsplit StoredParagraph (so a hit is unambiguous): the full
 * one for the ranking metrics, and one without the held-out paragraphs for the abstention test. The second shares
 * the first's vectors (hidden paragraphs are filtered out of the HNSW search, as other servers' paragraphs are in
 * production) but has its own BM25 index, because the held-out paragraphs must not count in idf either.
 */
export async function runEval(dataset: EvalDataset, options: EvalOptions, dependencies: EvalDependencies): Promise<EvalReport> {
  const { embedder } = dependencies;
  const log = dependencies.log ?? (() => {});
  const now = dependencies.now ?? (() => performance.now());
  if (options.mode !== 'keyword' && embedder === null) throw new Error(`${options.mode} mode needs an embedder`);

  const started = now();
  const stored = toStoredParagraphs(dataset.paragraphs);
  let vectors: VectorIndex | null = null;
  if (options.mode !== 'keyword') {
    log(`embedding ${stored.length} paragraphs`);
    vectors = await embedParagraphs(stored, embedder!, options.hnsw);
  }
  const full = searchableIndex(stored, vectors);
  const indexSeconds = (now() - started) / 1000;

  const heldOut = options.holdout > 0 ? holdOut(stored.length, options.holdout) : new Set<number>();
  const partial = options.holdout > 0 ? searchableIndex(stored.filter((p) => !heldOut.has(p.label)), vectors) : null;

  // The engine's own searcher, with no threshold: the ranking metrics read the passages a user would be shown
  // (near-duplicates collapsed), the abstention test the scores the threshold would be applied to.
  const searcher = new Searcher(options.mode === 'keyword' ? null : embedder, {
    mode: options.mode,
    minScore: 0,
    gapWeight: options.gapWeight ?? 0,
    coverageWeight: options.coverageWeight ?? 0,
    characterWeight: options.characterWeight ?? 0,
    rankCoverageWeight: options.rankCoverageWeight,
    denseWeight: options.denseWeight,
    denseWeightCjk: options.denseWeightCjk,
    fusion: options.fusion,
    candidates: options.candidates ?? EVAL_CANDIDATES,
  });
  const scopes = new Set(['']);
  const ranks: Rank[] = [];
  const latencies: number[] = [];
  const outcomes: { inIndex: AnsweredOutcome[]; heldOut: number[] } = { inIndex: [], heldOut: [] };
  let unsearchable = 0;
  const highlights = { judged: 0, containing: 0, chars: 0, paragraphChars: 0 };
  log(`asking ${dataset.questions.length} questions`);
  for (const { question: raw, paragraph, answers } of dataset.questions) {
    const question = searchable(raw, options.maxQuestionChars);
    if (question === null) {
      unsearchable++;
      ranks.push(null);
      if (heldOut.has(paragraph)) outcomes.heldOut.push(0);
      else outcomes.inIndex.push({ right: false, topScore: 0 });
      continue;
    }
    const askedAt = now();
    const query = await searcher.query(question, full);
    const shown = (await searcher.search(full, query, { k: RANK_DEPTH, offset: 0, scopes })).selection.passages;
    latencies.push(now() - askedAt);
    ranks.push(rankOf(shown, paragraph));
    if (shown[0]?.paragraph.label === paragraph && answers.length > 0) {
      const [spans] = await searcher.highlight(query, shown.slice(0, 1));
      const text = shown[0].paragraph.text;
      highlights.judged++;
      highlights.paragraphChars += text.length;
      if (spans!.length > 0) {
        const span = { start: spans![0]!.start, end: spans!.at(-1)!.end };
        highlights.chars += span.end - span.start;
        if (answers.some((answer) => holdsAnswer(text, span, answer))) highlights.containing++;
      }
    }

    if (partial === null) continue;
    // What selectPassages answers on: the engine quotes passages iff this reaches the threshold.
    const { passages: [best], confidence } = (await searcher.search(partial, query, { k: 1, offset: 0, scopes })).selection;
    if (heldOut.has(paragraph)) outcomes.heldOut.push(confidence);
    else outcomes.inIndex.push({ right: best?.paragraph.label === paragraph, topScore: confidence });
  }

  return {
    mode: options.mode,
    paragraphs: stored.length,
    questions: dataset.questions.length,
    ...rankMetrics(ranks),
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95) },
    indexSeconds,
    unsearchable,
    abstention: partial === null ? null : abstentionReport(outcomes, heldOut.size, options),
    highlight: {
      judged: highlights.judged,
      containing: highlights.containing,
      share: highlights.containing / highlights.judged,
      meanChars: highlights.chars / highlights.judged,
      meanParagraphChars: highlights.paragraphChars / highlights.judged,
    },
  };
}

function abstentionReport(outcomes: AbstentionOutcomes, heldOutParagraphs: number, options: EvalOptions): AbstentionReport {
  const sweep = options.sweep ? SWEEP_THRESHOLDS.map((threshold) => abstentionAt(outcomes, threshold)) : null;
  return {
    holdout: options.holdout,
    heldOutParagraphs,
    heldOutQuestions: outcomes.heldOut.length,
    inIndexQuestions: outcomes.inIndex.length,
    rightAnswers: outcomes.inIndex.filter((outcome) => outcome.right).length,
    gapWeight: options.gapWeight ?? 0,
    coverageWeight: options.coverageWeight ?? 0,
    characterWeight: options.characterWeight ?? 0,
    configured: abstentionAt(outcomes, options.threshold),
    sweep,
    suggested: sweep === null ? null : (pickThreshold(sweep) ?? null),
  };
}

/**
 * Whether the highlighted stretch of `text` holds a gold answer: at its offset when the offset points at the
 * answer's text, else anywhere in it (a file whose offsets are off).
 */
function holdsAnswer(text: string, highlight: Span, answer: GoldAnswer): boolean {
  const end = answer.start + answer.text.length;
  if (text.slice(answer.start, end) === answer.text) return answer.start >= highlight.start && end <= highlight.end;
  return text.slice(highlight.start, highlight.end).includes(answer.text);
}

/** The question as the engine would search it, or null where the engine would refuse it. */
function searchable(raw: string, maxChars: number): string | null {
  try {
    return normalizeQuestion(raw, maxChars);
  } catch (error) {
    if (isAppError(error)) return null;
    throw error;
  }
}

function rankOf(ranked: readonly { paragraph: StoredParagraph }[], label: number): Rank {
  const end = Math.min(ranked.length, RANK_DEPTH);
  for (let i = 0; i < end; i++) if (ranked[i]!.paragraph.label === label) return i + 1;
  return null;
}

/** SQuAD paragraphs as the engine stores them: label = id, shared scope, each whole context one passage. */
function toStoredParagraphs(paragraphs: readonly EvalParagraph[]): StoredParagraph[] {
  const seen = new Map<number, number>();
  return paragraphs.map((paragraph) => {
    const ordinal = (seen.get(paragraph.article) ?? 0) + 1;
    seen.set(paragraph.article, ordinal);
    return {
      label: paragraph.id,
      scope: '',
      document: paragraph.articleTitle,
      title: paragraph.articleTitle,
      section: '',
      ordinal,
      start: 0,
      end: paragraph.text.length,
      text: paragraph.text,
      hash: createHash('sha256').update(paragraph.text).digest('hex'),
    };
  });
}

async function embedParagraphs(paragraphs: readonly StoredParagraph[], embedder: Embedder, hnsw: HnswParams): Promise<VectorIndex> {
  const embedded = await embedder.embedPassages(paragraphs.map((paragraph) => paragraph.text));
  const index = VectorIndex.create(embedder.dimension, hnsw, Math.max(1024, paragraphs.length));
  paragraphs.forEach((paragraph, i) => index.add(paragraph.label, embedded[i]!));
  return index;
}

function searchableIndex(paragraphs: readonly StoredParagraph[], vectors: VectorIndex | null): RetrievableIndex {
  return inMemoryRetrieval({
    paragraphs: new Map(paragraphs.map((paragraph) => [paragraph.label, paragraph])),
    vectors,
    keywords: buildKeywordIndex(paragraphs),
  });
}
