import type { SearchMode } from './search-mode.ts';
import type { RankedPassage } from './rank-passages.ts';

/**
 * Default "no confident match" thresholds, by mode and by the question's script, each the fewest wrong answers
 * with under 5% of right answers withheld on the hold-out (docs/evaluation.md), measured with all-MiniLM-L6-v2
 * int8. Chinese questions score lower on keywords (character bigrams spanning two words match nothing); in hybrid
 * mode their score is keyword coverage alone (HYBRID_DENSE_WEIGHT_CJK 0), hence the keyword level; in dense mode
 * an English-only model gives any Chinese text a high cosine, hence 0.6.
 */
export const DEFAULT_MIN_SCORE = {
  keyword: { alphabetic: 0.3, cjk: 0.13 },
  dense: { alphabetic: 0.35, cjk: 0.6 },
  hybrid: { alphabetic: 0.35, cjk: 0.13 },
} as const;

const CJK_CHARACTER = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/gu;

/** The default threshold for a question: by mode and by the question's script. */
export function defaultMinScore(mode: SearchMode, question: string): number {
  return isMostlyCjk(question) ? DEFAULT_MIN_SCORE[mode].cjk : DEFAULT_MIN_SCORE[mode].alphabetic;
}

/** Whether at least half of the question's letters and digits are Chinese, Japanese or Korean characters. */
export function isMostlyCjk(question: string): boolean {
  const letters = question.match(LETTER_OR_DIGIT)?.length ?? 0;
  const cjk = question.match(CJK_CHARACTER)?.length ?? 0;
  return letters > 0 && cjk / letters >= 0.5;
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
}

/** Drops passages below `minScore`, collapses near-duplicates, and returns the page [offset, offset + k). */
export function selectPassages(ranked: readonly RankedPassage[], options: { minScore: number; k: number; offset: number }): Selection {
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
    closest: ranked[0],
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
