import { CJK_CLASS } from './cjk.ts';
import type { TokenCounter } from './types.ts';

/** A range [start, end) of UTF-16 units. */
export interface TextRange {
  readonly start: number;
  readonly end: number;
}

/**
 * A sentence ends after . ! ? (and any closing quote or bracket) followed by whitespace, after 。！？ even without
 * a space, and at a line break (lists and code are cut between lines). The lookbehind starts a match only at the
 * first of a run of . ! ?, so a long run of dots is scanned once rather than once per dot.
 */
const SENTENCE_END = /(?<![.!?])[.!?]+['"”’)\]]*\s+|[。！？]+['"”’」』）)]*\s*|\n+/g;
/**
 * Word units: a run of non-space non-CJK characters, or a single CJK character, with the whitespace after it. A
 * zero-width space separates words too (Thai, Khmer, and text whose spaces were swapped for it).
 */
const WORD = new RegExp(`(?:[${CJK_CLASS}]|[^\\s\u200b${CJK_CLASS}]+)[\\s\u200b]*`, 'gu');
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** Longest piece (UTF-16 units) an overlong word is cut into before its tokens are counted. */
const PIECE_LENGTH = 32;

/**
 * Cuts `text` into trimmed, non-empty ranges, in order, each within `counter.maxTokens`: whole sentences are
 * packed greedily; a sentence too long on its own is cut between words (between characters for Chinese and
 * Japanese), a single overlong word into pieces of a few graphemes, and a piece that is still too long between
 * graphemes, so a surrogate pair or emoji is never split (only a grapheme longer than a piece, such as a letter
 * under thousands of combining marks, is cut between code points). Each range's size is found by exponential then
 * binary search, so the counter sees O(log n) slices per range. Time and memory are linear in the text's length.
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
      : matchRanges(text, WORD, sentence).flatMap((word) =>
          fits(word)
            ? [word]
            : pieceRanges(text, word).flatMap((piece) => (fits(piece) ? [piece] : graphemeRanges(text, piece))),
        ),
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

/**
 * Cuts a run without spaces (base64, minified JSON, words joined by zero-width spaces) into pieces of at most
 * PIECE_LENGTH units ending at grapheme boundaries. The segmenter only ever sees a window a little longer than a
 * piece: on Node 20 each segment it yields costs about the size of the string segmented, so segmenting the whole
 * run at once took gigabytes.
 */
function pieceRanges(text: string, within: TextRange): TextRange[] {
  const ranges: TextRange[] = [];
  for (let start = within.start; start < within.end; ) {
    const end = pieceEnd(text, start, within.end);
    ranges.push({ start, end });
    start = end;
  }
  return ranges;
}

/** The end of the piece starting at the grapheme boundary `start`: the last boundary within PIECE_LENGTH units. */
function pieceEnd(text: string, start: number, limit: number): number {
  // Whether a boundary falls before a code point depends on that code point, so the window holds a whole one
  // (up to two units) beyond the longest piece.
  const windowEnd = Math.min(limit, start + PIECE_LENGTH + 4);
  let end = start;
  for (const { index, segment } of graphemes.segment(text.slice(start, windowEnd))) {
    const segmentEnd = start + index + segment.length;
    if (segmentEnd - start > PIECE_LENGTH) break;
    end = segmentEnd;
  }
  if (end > start) return end;
  // One grapheme longer than a piece: cut between code points, never inside a surrogate pair.
  const cut = Math.min(limit, start + PIECE_LENGTH);
  return cut < limit && isHighSurrogate(text.charCodeAt(cut - 1)) ? cut - 1 : cut;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

/** The graphemes of a short range (a piece). */
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
