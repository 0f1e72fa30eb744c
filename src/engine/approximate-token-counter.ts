import type { TokenCounter } from '../ingest/types.ts';

/** Without a model, paragraphs are still split to roughly the size a model would take. */
export function approximateTokenCounter(maxTokens: number): TokenCounter {
  return {
    maxTokens: maxTokens - 2,
    countTokens: (text) => Math.ceil(countWordsAndSymbols(text) * 1.3),
  };
}

const LETTER_OR_NUMBER_RUN = /[\p{L}\p{N}]+/uy;
const SPACE = /\s/u;

/**
 * How many matches `/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu` has in `text` (runs of letters and digits, and every other
 * character that is not a space), counted without building the array of matches: the splitter counts each
 * paragraph's slices a dozen times, and the array and its garbage made counting most of the time spent splitting.
 * ASCII is classified by hand; other characters by the same Unicode classes as the pattern.
 */
export function countWordsAndSymbols(text: string): number {
  let count = 0;
  for (let at = 0; at < text.length; ) {
    const unit = text.charCodeAt(at);
    if (unit < 0x80 && isAsciiSpace(unit)) {
      at++;
      continue;
    }
    const end = wordEnd(text, at);
    if (end > at) {
      count++;
      at = end;
      continue;
    }
    // One symbol, unless it is a non-ASCII space (U+00A0, U+3000, …).
    const width = text.codePointAt(at)! > 0xffff ? 2 : 1;
    if (unit < 0x80 || !SPACE.test(text.slice(at, at + width))) count++;
    at += width;
  }
  return count;
}

/** The end of the run of letters and digits that starts at `start` (`start` itself when there is none). */
function wordEnd(text: string, start: number): number {
  let at = start;
  while (at < text.length) {
    const unit = text.charCodeAt(at);
    if (unit < 0x80) {
      if (!isAsciiLetterOrDigit(unit)) break;
      at++;
    } else {
      LETTER_OR_NUMBER_RUN.lastIndex = at;
      if (!LETTER_OR_NUMBER_RUN.test(text)) break;
      at = LETTER_OR_NUMBER_RUN.lastIndex;
    }
  }
  return at;
}

function isAsciiLetterOrDigit(unit: number): boolean {
  return (unit >= 0x30 && unit <= 0x39) || (unit >= 0x41 && unit <= 0x5a) || (unit >= 0x61 && unit <= 0x7a);
}

/** Tab, line feed, vertical tab, form feed, carriage return and space: the ASCII part of `\s`. */
function isAsciiSpace(unit: number): boolean {
  return unit === 0x20 || (unit >= 0x09 && unit <= 0x0d);
}
