/** One 👍/👎 vote on an answer, with the confidence the "no confident match" threshold was compared with. */
export interface ScoredVote {
  readonly confidence: number;
  readonly vote: 'up' | 'down';
}

export interface ThresholdSuggestion {
  /** The suggested MIN_SCORE, or undefined when the votes do not support a change (see `reason`). */
  readonly threshold: number | undefined;
  readonly up: number;
  readonly down: number;
  /** Of the votes counted, how many answers the suggested threshold would have withheld. */
  readonly withheldDown: number;
  readonly withheldUp: number;
  readonly reason?: 'too-few-votes' | 'no-better-threshold';
}

export interface ThresholdOptions {
  /** Votes with a confidence needed before anything is suggested. */
  readonly minVotes?: number;
  /** 👎 votes needed before anything is suggested. */
  readonly minDown?: number;
}

/**
 * The threshold that, had it been in force, would have withheld the most 👎 answers net of the 👍 answers it
 * would also have withheld.
 *
 * An answer is withheld when its confidence is below the threshold. The candidates are the thresholds just above
 * each 👎 answer's confidence (the rounding step, 0.001, above it: a threshold between two votes' confidences
 * withholds the same answers wherever it sits, so these are all the distinct outcomes that withhold a 👎). Each
 * scores withheld 👎 − withheld 👍; the best wins, ties going to the one that withholds fewer 👍, then to the lower
 * threshold. Nothing is suggested below `minVotes` votes or `minDown` 👎, or when no candidate scores above 0 (the
 * current threshold does as well as any).
 */
export function chooseThreshold(votes: readonly ScoredVote[], options: ThresholdOptions = {}): ThresholdSuggestion {
  const up = votes.filter((vote) => vote.vote === 'up').length;
  const down = votes.length - up;
  const none = (reason: ThresholdSuggestion['reason']): ThresholdSuggestion => ({ threshold: undefined, up, down, withheldDown: 0, withheldUp: 0, reason });
  if (votes.length < (options.minVotes ?? 10) || down < (options.minDown ?? 3)) return none('too-few-votes');

  const sorted = (kind: ScoredVote['vote']) => votes.filter((vote) => vote.vote === kind).map((vote) => vote.confidence).sort((a, b) => a - b);
  const [ups, downs] = [sorted('up'), sorted('down')];
  const candidates = [...new Set(downs.map((confidence) => roundUp(confidence + STEP)))];
  let best: ThresholdSuggestion | undefined;
  let bestScore = 0;
  for (const threshold of candidates) {
    const withheldDown = countBelow(downs, threshold);
    const withheldUp = countBelow(ups, threshold);
    const score = withheldDown - withheldUp;
    if (score > bestScore || (score === bestScore && best !== undefined && withheldUp < best.withheldUp)) {
      best = { threshold, up, down, withheldDown, withheldUp };
      bestScore = score;
    }
  }
  return best ?? none('no-better-threshold');
}

/** Scores are shown and stored to three decimals. */
const STEP = 0.001;

/** How many of the ascending `values` are below `limit` (binary search). */
function countBelow(values: readonly number[], limit: number): number {
  let [low, high] = [0, values.length];
  while (low < high) {
    const middle = (low + high) >> 1;
    if (values[middle]! < limit) low = middle + 1;
    else high = middle;
  }
  return low;
}

function roundUp(value: number): number {
  return Math.min(1, Math.round(value * 1000) / 1000);
}
