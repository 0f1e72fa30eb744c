import { CJK_CLASS } from './cjk.ts';
import type { TokenCounter } from './types.ts';

/** A range [start, end) of UTF-16 units. */
export interface TextRange {
  readonly start: number;
  readonly end: number;
}

/**
 * A sentence ends after . ! ? (and any closing quote or bracket) followed by whitespace, after 。！？ even without
 * a space, and at a line break (lists and code are cut between lines).
 */
const SENTENCE_END = /[.!?]+['"”’)\]]*\s+|[。！？]+['"”’」』）)]*\s*|\n+/g;
/** Word units: a run of non-space non-CJK characters, or a single CJK character, with the whitespace after it. */
const WORD = new RegExp(`(?:[${CJK_CLASS}]|[^\\s${CJK_CLASS}]+)\\s*`, 'gu');
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Cuts `text` into trimmed, non-empty ranges, in order, each within `counter.maxTokens`: whole sentences are
 * packed greedily; a sentence too long on its own is cut between words (between characters for Chinese and
 * Japanese), and a single overlong word between graphemes, so a surrogate pair or emoji is never split. Each
 * range's size is found by exponential then binary search, so the counter sees O(log n) slices per range.
 */
export function splitToTokenLimit(text: string, counter: TokenCounter): TextRange[] {
  const fits = (range: TextRange): boolean =>
    counter.countTokens(text.slice(range.start, range.end).trim()) <= counter.maxTokens;
  const whole = trimRange(text, { start: 0, end: text.length });
  if (whole.start >= whole.end) return [];
  if (fits(whole)) return [whole];

  const units = matchRanges(text, SENTENCE_END, whole).flatMap((sentence) =>
    fits(sentence)
      ? [sentence]
      : matchRanges(text, WORD, sentence).flatMap((word) => (fits(word) ? [word] : graphemeRanges(text, word))),
  );
  return packUnits(units, (first, count) => fits(spanOf(units, first, count)))
    .map(([first, count]) => trimRange(text, spanOf(units, first, count)))
    .filter((range) => range.start < range.end);
}

/**
 * Greedily groups consecutive units: each group is the longest run from its first unit that `fits`, and at least
 * one unit (a unit too long on its own cannot be cut any further).
 */
function packUnits(units: readonly TextRange[], fits: (first: number, count: number) => boolean): [number, number][] {
  const groups: [number, number][] = [];
  for (let first = 0; first < units.length; ) {
    let good = 1;
    let bad = units.length - first + 1;
    for (let probe = 2; probe < bad; probe *= 2) {
      if (fits(first, probe)) good = probe;
      else bad = probe;
    }
    while (bad - good > 1) {
      const middle = (good + bad) >>> 1;
      if (fits(first, middle)) good = middle;
      else bad = middle;
    }
    groups.push([first, good]);
    first += good;
  }
  return groups;
}

/** Consecutive ranges covering `within`, each ending where a match of `boundary` ends (the rest forms the last). */
function matchRanges(text: string, boundary: RegExp, within: TextRange): TextRange[] {
  const ranges: TextRange[] = [];
  let start = within.start;
  for (const match of text.slice(within.start, within.end).matchAll(boundary)) {
    const end = within.start + match.index + match[0].length;
    if (end > start) ranges.push({ start, end });
    start = end;
  }
  if (start < within.end) ranges.push({ start, end: within.end });
  return ranges;
}

function graphemeRanges(text: string, within: TextRange): TextRange[] {
  return [...graphemes.segment(text.slice(within.start, within.end))].map(({ index, segment }) => ({
    start: within.start + index,
    end: within.start + index + segment.length,
  }));
}

function spanOf(units: readonly TextRange[], first: number, count: number): TextRange {
  return { start: units[first]!.start, end: units[first + count - 1]!.end };
}

function trimRange(text: string, range: TextRange): TextRange {
  const slice = text.slice(range.start, range.end);
  const start = range.start + (slice.length - slice.trimStart().length);
  return { start, end: Math.max(start, range.start + slice.trimEnd().length) };
}
