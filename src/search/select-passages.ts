import type { SearchMode } from './search-mode.ts';
import type { RankedPassage } from './rank-passages.ts';
import { isMostlyCjk } from './script.ts';

/**
 * Default "no confident match" thresholds, by mode and by the question's script, each the fewest wrong answers
 * with under 5% of right answers withheld on the hold-out of every set, int8 and fp32 alike, on a 0.0005 grid
 * (dense mode: 0.05), measured with all-MiniLM-L6-v2 (docs/evaluation.md, steps 9 to 11), applied to
 * {@link answerConfidence} with the weights of {@link DEFAULT_GAP_WEIGHT}, {@link DEFAULT_COVERAGE_WEIGHT} and
 * {@link DEFAULT_CHARACTER_COVERAGE_WEIGHT}. In hybrid mode a Chinese question's score is keyword evidence alone
 * (HYBRID_DENSE_WEIGHT_CJK 0), hence the keyword level; in dense mode an English-only model gives any Chinese text
 * a high cosine, hence 0.6.
 */
export const DEFAULT_MIN_SCORE = {
  keyword: { alphabetic: 0.235, cjk: 0.1985 },
  dense: { alphabetic: 0.35, cjk: 0.6 },
  hybrid: { alphabetic: 0.2625, cjk: 0.1985 },
} as const;

/**
 * Default weight of the margin in the "no confident match" decision (see {@link answerConfidence}), by mode and
 * script, chosen with the other weights and {@link DEFAULT_MIN_SCORE} on XQuAD en/zh and DRCD (docs/evaluation.md,
 * steps 6, 9 and 10). Dense mode: see the same steps.
 */
export const DEFAULT_GAP_WEIGHT = {
  keyword: { alphabetic: 0.5, cjk: 0.45 },
  dense: { alphabetic: 0, cjk: 0 },
  hybrid: { alphabetic: 0.5, cjk: 0.45 },
} as const;

/**
 * Default weight of the top passage's {@link sentenceCoverage} in the decision (see {@link answerConfidence}).
 * Dense mode does not compute coverage.
 */
export const DEFAULT_COVERAGE_WEIGHT = {
  keyword: { alphabetic: 0.2, cjk: 0.05 },
  dense: { alphabetic: 0, cjk: 0 },
  hybrid: { alphabetic: 0.2, cjk: 0.05 },
} as const;

/**
 * Default weight of the top passage's {@link characterCoverage} in the decision (see {@link answerConfidence}):
 * for Chinese questions, whose bigram coverage misses words phrased apart (docs/evaluation.md, step 10).
 * Alphabetic questions have no such characters; dense mode does not compute it.
 */
export const DEFAULT_CHARACTER_COVERAGE_WEIGHT = {
  keyword: { alphabetic: 0, cjk: 0.15 },
  dense: { alphabetic: 0, cjk: 0 },
  hybrid: { alphabetic: 0, cjk: 0.15 },
} as const;

type ByModeAndScript = Readonly<Record<SearchMode, { readonly alphabetic: number; readonly cjk: number }>>;

/** A default of one of the tables above for a question: by mode and by the question's script. */
function forQuestion(table: ByModeAndScript, mode: SearchMode, question: string): number {
  return isMostlyCjk(question) ? table[mode].cjk : table[mode].alphabetic;
}

/** The default threshold for a question. */
export const defaultMinScore = (mode: SearchMode, question: string): number => forQuestion(DEFAULT_MIN_SCORE, mode, question);
/** The default margin weight for a question. */
export const defaultGapWeight = (mode: SearchMode, question: string): number => forQuestion(DEFAULT_GAP_WEIGHT, mode, question);
/** The default coverage weight for a question. */
export const defaultCoverageWeight = (mode: SearchMode, question: string): number => forQuestion(DEFAULT_COVERAGE_WEIGHT, mode, question);
/** The default character coverage weight for a question. */
export const defaultCharacterWeight = (mode: SearchMode, question: string): number => forQuestion(DEFAULT_CHARACTER_COVERAGE_WEIGHT, mode, question);

/**
 * How confident the ranking is that its best passage answers:
 * (1 − gapWeight − coverageWeight − characterWeight) × top + gapWeight × margin + coverageWeight × the top
 * passage's coverage + characterWeight × its character coverage, where margin = top − the best score of a passage
 * that is not a near-duplicate of the top one (0 if there is none such, the margin is then the top score itself),
 * and the coverages are its {@link sentenceCoverage} and {@link characterCoverage} (0 if not computed). A clear
 * winner keeps its score; two near-equal distinct passages, which is what a question whose answer is missing
 * tends to find, lose up to `gapWeight` of it; so does a passage whose sentences each hold only part of the
 * question's words or characters. In [0, 1] when scores are and the weights sum to at most 1. 0 for an empty ranking.
 */
export function answerConfidence(ranked: readonly RankedPassage[], gapWeight: number, coverageWeight = 0, characterWeight = 0): number {
  const best = ranked[0];
  if (best === undefined) return 0;
  const covered = coverageWeight * (best.coverage ?? 0) + characterWeight * (best.characterCoverage ?? 0);
  const topWeight = 1 - gapWeight - coverageWeight - characterWeight;
  if (gapWeight === 0) return topWeight * best.score + covered;
  const bestWords = wordSet(best.paragraph.text);
  let runnerUp = 0;
  for (let i = 1; i < ranked.length; i++) {
    const passage = ranked[i]!;
    if (jaccard(wordSet(passage.paragraph.text), bestWords) >= NEAR_DUPLICATE_JACCARD) continue;
    runnerUp = passage.score;
    break;
  }
  return topWeight * best.score + gapWeight * Math.max(0, best.score - runnerUp) + covered;
}

/** Two passages sharing at least this fraction of their words are shown once. */
const NEAR_DUPLICATE_JACCARD = 0.8;

export interface Selection {
  /** Confident passages of the requested page. */
  readonly passages: readonly RankedPassage[];
  /** Whether confident passages exist after this page. */
  readonly more: boolean;
  /** The best passage overall, even below the threshold: lets a reply say where the closest text is. */
  readonly closest: RankedPassage | undefined;
  /** {@link answerConfidence} of the ranking: what `minScore` was compared with. */
  readonly confidence: number;
}

export interface SelectOptions {
  /** The "no confident match" threshold, applied to {@link answerConfidence} and to each further passage's score. */
  readonly minScore: number;
  /** Weight of the top passage's margin in {@link answerConfidence}; default 0 (the top score alone). */
  readonly gapWeight?: number;
  /** Weight of the top passage's sentence coverage in {@link answerConfidence}; default 0. */
  readonly coverageWeight?: number;
  /** Weight of the top passage's character coverage (Chinese questions) in {@link answerConfidence}; default 0. */
  readonly characterWeight?: number;
  readonly k: number;
  readonly offset: number;
}

/**
 * Answers nothing unless {@link answerConfidence} reaches `minScore`; otherwise drops passages below `minScore`,
 * collapses near-duplicates, and returns the page [offset, offset + k).
 */
export function selectPassages(ranked: readonly RankedPassage[], options: SelectOptions): Selection {
  const closest = ranked[0];
  const confidence = answerConfidence(ranked, options.gapWeight ?? 0, options.coverageWeight ?? 0, options.characterWeight ?? 0);
  if (confidence < options.minScore) return { passages: [], more: false, closest, confidence };
  const kept: RankedPassage[] = [];
  const keptWords: Set<string>[] = [];
  for (const passage of ranked) {
    if (passage.score < options.minScore) break;
    const words = wordSet(passage.paragraph.text);
    if (keptWords.some((other) => jaccard(words, other) >= NEAR_DUPLICATE_JACCARD)) continue;
    kept.push(passage);
    keptWords.push(words);
    if (kept.length > options.offset + options.k) break;
  }
  return {
    passages: kept.slice(options.offset, options.offset + options.k),
    more: kept.length > options.offset + options.k,
    closest,
    confidence,
  };
}

function wordSet(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const word of a) if (b.has(word)) shared++;
  return shared / (a.size + b.size - shared);
}
