import type { Span } from '../../search/sentences.ts';
import { blockQuote, safeText, trimText } from './text.ts';

/**
 * A passage as a Markdown block quote of at most `max` characters (the `> ` markers counted), made safe with
 * {@link safeText}, its highlighted sentences in bold. A passage too long for `max` is trimmed around the
 * highlight, "… before **answer** after …", and the highlight itself is cut only when it alone is longer than
 * `max`. Without highlights: the start of the passage, as before.
 */
export function passageQuote(text: string, highlights: readonly Span[], max: number): string {
  // The `> ` of each line is only known once the text is cut: shrink the budget until the quote fits.
  for (let budget = max; budget > 0; ) {
    const quote = blockQuote(quoteBody(text, highlights, budget));
    if (quote.length <= max) return quote;
    budget -= quote.length - max;
  }
  return '';
}

function quoteBody(text: string, highlights: readonly Span[], max: number): string {
  if (highlights.length === 0) return trimText(safeText(text), max);
  const start = highlights[0]!.start;
  const end = highlights.at(-1)!.end;
  const before = safeText(text.slice(0, start));
  const after = safeText(text.slice(end));
  const answer = bold(safeText(text.slice(start, end)));
  if (before.length + answer.length + after.length <= max) return before + answer + after;
  if (answer.length > max) {
    // Longer than the whole quote: its start, still in bold (room left for the markers of every line).
    const plain = safeText(text.slice(start, end));
    const room = max - 4 * plain.split('\n').length;
    return room > 0 ? bold(trimText(plain, room)) : trimText(plain, max);
  }
  const room = max - answer.length;
  const afterRoom = Math.min(after.length, room - Math.min(before.length, Math.floor(room / 2)));
  return keepEnd(before, room - afterRoom) + answer + (after.length <= afterRoom ? after : trimAfter(after, afterRoom));
}

/** Each non-blank line in bold: a `**` pair does not reach across the `> ` of the next quoted line. */
function bold(text: string): string {
  return text.split('\n').map((line) => line.replace(/^(\s*)(\S(?:.*\S)?)(\s*)$/u, '$1**$2**$3')).join('\n');
}

/** The end of `text` in at most `max` characters, from the start of a sentence or word, after "… ". */
function keepEnd(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < 3) return '';
  let kept = text.slice(text.length - (max - 2));
  const sentenceStart = kept.search(/[.!?](?=\s+\S)|[。！？；](?=.)/u);
  const wordStart = kept.search(/\s\S/u);
  if (sentenceStart >= 0 && sentenceStart < kept.length * 0.5) kept = kept.slice(sentenceStart + 1);
  else if (wordStart >= 0 && wordStart < kept.length * 0.5) kept = kept.slice(wordStart + 1);
  if (/^[\uDC00-\uDFFF]/.test(kept)) kept = kept.slice(1);
  return `… ${kept.trimStart()}`;
}

/** The start of the text after the highlight in at most `max` characters, marked "…" where cut. */
function trimAfter(text: string, max: number): string {
  if (max < 3) return '';
  const trimmed = trimText(text, max);
  return /[\p{L}\p{N}]/u.test(trimmed) ? trimmed : '';
}
