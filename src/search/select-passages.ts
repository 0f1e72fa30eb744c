import type { SearchMode } from '../config.ts';
import type { RankedPassage } from './rank-passages.ts';

/**
 * Default "no confident match" thresholds per mode, chosen on XQuAD (see docs/evaluation.md) so that fewer than
 * 5% of right answers are withheld. Scores of different modes live on different scales, hence one per mode.
 */
export const DEFAULT_MIN_SCORE: Readonly<Record<SearchMode, number>> = { keyword: 0.25, dense: 0.4, hybrid: 0.3 };

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
