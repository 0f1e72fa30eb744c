import { seededRandom } from '../shared/seeded-random.ts';

/**
 * Retrieval and abstention metrics for a test set where each question has exactly one relevant paragraph. Pure
 * functions over ranks and scores, so that they can be checked by hand.
 *
 * A rank is the 1-based position of the relevant paragraph in the ranking, or `null` when it is not in the part
 * of the ranking that was kept (the top 10 is enough for every metric here).
 */
export type Rank = number | null;

/** The cut-offs reported for Recall@k. */
export const RECALL_CUTOFFS = [1, 3, 5, 10] as const;

export type RecallAt = Readonly<Record<(typeof RECALL_CUTOFFS)[number], number>>;

/** Fraction of questions whose relevant paragraph is in the top `k`. With one relevant paragraph, recall = hit rate. */
export function recallAt(ranks: readonly Rank[], k: number): number {
  return mean(ranks, (rank) => (rank !== null && rank <= k ? 1 : 0));
}

/** Mean reciprocal rank, counting only ranks ≤ `k` (a paragraph found further down scores 0). */
export function mrrAt(ranks: readonly Rank[], k = 10): number {
  return mean(ranks, (rank) => (rank !== null && rank <= k ? 1 / rank : 0));
}

/**
 * Mean nDCG@k with binary gain and one relevant paragraph: DCG = 1/log2(rank + 1) when it is in the top k, and the
 * ideal DCG (relevant paragraph first) is 1/log2(2) = 1, so nDCG = DCG.
 */
export function ndcgAt(ranks: readonly Rank[], k = 10): number {
  return mean(ranks, (rank) => (rank !== null && rank <= k ? 1 / Math.log2(rank + 1) : 0));
}

/** Recall@1/3/5/10, MRR@10 and nDCG@10 of a set of ranks. */
export function rankMetrics(ranks: readonly Rank[]): { recall: RecallAt; mrr10: number; ndcg10: number } {
  const [r1, r3, r5, r10] = RECALL_CUTOFFS.map((k) => recallAt(ranks, k)) as [number, number, number, number];
  return { recall: { 1: r1, 3: r3, 5: r5, 10: r10 }, mrr10: mrrAt(ranks, 10), ndcg10: ndcgAt(ranks, 10) };
}

/**
 * Latency percentiles use the bench's definition, so that the two reports agree: linear interpolation between the
 * two nearest ranks (numpy's default), position (n − 1)·p/100 in the sorted sample; NaN for an empty sample.
 */
export { percentile } from '../shared/statistics.ts';

/** How one question fared on an index that holds its paragraph. */
export interface AnsweredOutcome {
  /** The relevant paragraph came first. */
  readonly right: boolean;
  /** Score of the best passage (0 when nothing was found). */
  readonly topScore: number;
}

/** Outcomes of the abstention test: questions about indexed paragraphs, and top scores of questions about held-out ones. */
export interface AbstentionOutcomes {
  readonly inIndex: readonly AnsweredOutcome[];
  readonly heldOut: readonly number[];
}

/** What a "no confident match" threshold does, as fractions in [0, 1]; null when there is nothing to count. */
export interface AbstentionRates {
  readonly threshold: number;
  /**
   * Questions about held-out paragraphs that still got an answer (top score ≥ threshold): the answer is
   * necessarily a wrong paragraph. Of all held-out-paragraph questions.
   */
  readonly answeredWrongly: number | null;
  /**
   * Questions whose right paragraph came first but scored below the threshold, so the right answer was withheld.
   * Of all questions about indexed paragraphs.
   */
  readonly withheldRight: number | null;
  /** The same withheld right answers as a fraction of the right answers (questions whose paragraph came first). */
  readonly withheldOfRight: number | null;
}

/** The rates of one threshold. A passage is shown when its score is ≥ the threshold, as in `selectPassages`. */
export function abstentionAt(outcomes: AbstentionOutcomes, threshold: number): AbstentionRates {
  const answered = (score: number) => score >= threshold;
  const right = outcomes.inIndex.filter((outcome) => outcome.right);
  const withheld = right.filter((outcome) => !answered(outcome.topScore)).length;
  return {
    threshold,
    answeredWrongly: ratio(outcomes.heldOut.filter(answered).length, outcomes.heldOut.length),
    withheldRight: ratio(withheld, outcomes.inIndex.length),
    withheldOfRight: ratio(withheld, right.length),
  };
}

/** 0.05, 0.10, … 0.60: the thresholds `--sweep` tries. */
export const SWEEP_THRESHOLDS: readonly number[] = Array.from({ length: 12 }, (_, i) => Math.round((i + 1) * 5) / 100);

/** The largest share of right answers a default threshold may withhold. */
export const MAX_WITHHELD_RIGHT = 0.05;

/**
 * Among `rates`, the threshold that gives the fewest wrong answers while withholding under `maxWithheld` of the
 * questions (`withheldRight`); on a tie the lower threshold, which withholds less. Undefined if none qualifies.
 */
export function pickThreshold(rates: readonly AbstentionRates[], maxWithheld = MAX_WITHHELD_RIGHT): AbstentionRates | undefined {
  let best: AbstentionRates | undefined;
  for (const rate of rates) {
    if (rate.withheldRight === null || rate.withheldRight >= maxWithheld) continue;
    const wrong = rate.answeredWrongly ?? 0;
    const bestWrong = best?.answeredWrongly ?? 0;
    if (best === undefined || wrong < bestWrong || (wrong === bestWrong && rate.threshold < best.threshold)) best = rate;
  }
  return best;
}

/**
 * The paragraph ids to leave out of the abstention index: `round(fraction · count)` of them, chosen by a seeded
 * shuffle so that every run (and every mode) holds out the same paragraphs.
 */
export function holdOut(count: number, fraction: number, seed = 2024): Set<number> {
  const ids = Array.from({ length: count }, (_, i) => i);
  const random = seededRandom(seed);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  return new Set(ids.slice(0, Math.round(fraction * count)));
}

function mean<T>(items: readonly T[], value: (item: T) => number): number {
  if (items.length === 0) return Number.NaN;
  let sum = 0;
  for (const item of items) sum += value(item);
  return sum / items.length;
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}
