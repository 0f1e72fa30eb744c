/** A stretch of a passage's text: offsets [start, end) in UTF-16 code units. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

// Words after which a period does not end a sentence: titles and Latin abbreviations that a name or more words
// always follow ("Dr. Sun", "e.g. Paris", "vs. them"). Lower-case, without their periods.
const ABBREVIATIONS: ReadonlySet<string> = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'mt', 'ft', 'gen', 'col', 'capt', 'lt', 'sgt', 'rev', 'hon',
  'vs', 'cf', 'eg', 'ie', 'al', 'approx', 'ca', 'no', 'nos', 'vol', 'fig', 'figs', 'p', 'pp', 'ch', 'sec', 'art',
  'inc', 'ltd', 'co', 'corp', 'dept', 'univ', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept',
  'oct', 'nov', 'dec',
]);
// Sentence-ending punctuation. The Chinese marks end a sentence with no space after them; the Latin ones need one.
const CJK_END = '。！？；';
const LATIN_END = '.!?';
// Closing quotes and brackets that belong to the sentence they follow ("他说：“好。”" / "(see above.)").
const CLOSERS = '"\')]}»”’」』）】〉》';
// A line that is a list item ("- x", "* x", "+ x", "• x", "1. x", "2) x", "a) x") or code (indented 4+ spaces or a
// tab) is a sentence of its own, whatever its punctuation.
const LIST_ITEM = /^\s*(?:[-*+•·]|\d{1,3}[.)]|[a-z][.)])\s/u;
const CODE_LINE = /^(?: {4}|\t)/;
const FENCE = /^\s*(?:```|~~~)/;

/**
 * Cuts a passage into sentences for highlighting: at `.`, `!` and `?` followed by a space (not after an
 * abbreviation, an initial or a dotted acronym such as "U.S.", nor before a lower-case word, so "Dr. Sun", "3.5"
 * and "e.g. this" stay whole), right after `。`, `！`, `？` and `；`, and at every list item and code line. Lines
 * of prose that wrap are joined. Returns spans into `text`, trimmed of surrounding white space, in order; text
 * with no words yields none.
 */
export function splitSentences(text: string): Span[] {
  const spans: Span[] = [];
  let prose: Span | null = null; // the run of prose lines not yet cut
  const flushProse = () => {
    if (prose) splitProse(text, prose.start, prose.end, spans);
    prose = null;
  };
  let inFence = false;
  for (const line of lines(text)) {
    const content = text.slice(line.start, line.end);
    if (FENCE.test(content)) {
      flushProse();
      inFence = !inFence;
      continue; // the fence markers are not content
    }
    if (content.trim() === '') {
      flushProse();
    } else if (inFence || CODE_LINE.test(content) || LIST_ITEM.test(content)) {
      flushProse();
      if (LIST_ITEM.test(content) && !inFence) splitProse(text, line.start, line.end, spans);
      else pushTrimmed(text, line.start, line.end, spans);
    } else {
      prose = prose ? { start: prose.start, end: line.end } : line;
    }
  }
  flushProse();
  return spans;
}

function lines(text: string): Span[] {
  const result: Span[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text[i] === '\n') {
      result.push({ start, end: i });
      start = i + 1;
    }
  }
  return result;
}

/** Cuts [start, end) of `text` at sentence ends. */
function splitProse(text: string, start: number, end: number, spans: Span[]): void {
  let sentenceStart = start;
  for (let i = start; i < end; i++) {
    const char = text[i]!;
    const cjk = CJK_END.includes(char);
    if (!cjk && !LATIN_END.includes(char)) continue;
    let after = i + 1;
    while (after < end && (CLOSERS.includes(text[after]!) || LATIN_END.includes(text[after]!) || CJK_END.includes(text[after]!))) after++;
    if (!cjk && !endsLatinSentence(text, sentenceStart, i, after, end)) continue;
    pushTrimmed(text, sentenceStart, after, spans);
    sentenceStart = after;
    i = after - 1;
  }
  pushTrimmed(text, sentenceStart, end, spans);
}

/** Whether the Latin mark at `mark` (its closers end at `after`) ends a sentence. */
function endsLatinSentence(text: string, sentenceStart: number, mark: number, after: number, end: number): boolean {
  if (after < end && !/\s/u.test(text[after]!)) return false; // "3.5", "example.com", "U.S"
  const next = text.slice(after, end).match(/^\s*(\S)/u)?.[1];
  if (next === undefined) return true; // the end of the text
  if (/\p{Ll}/u.test(next)) return false; // a new sentence does not start in lower case: "e.g. this", "approx. two"
  if (text[mark] !== '.') return true;
  const word = text.slice(sentenceStart, mark).match(/(\S+)$/u)?.[1] ?? '';
  const bare = word.replace(/^[("'“‘]+/u, '');
  if (/^\p{Lu}$/u.test(bare)) return false; // an initial: "J. Smith"
  if (/^(?:\p{L}\.)+\p{L}$/u.test(bare)) return false; // a dotted acronym: "U.S", "e.g", "Ph.D"
  return !ABBREVIATIONS.has(bare.toLowerCase());
}

function pushTrimmed(text: string, start: number, end: number, spans: Span[]): void {
  while (start < end && /\s/u.test(text[start]!)) start++;
  while (end > start && /\s/u.test(text[end - 1]!)) end--;
  if (/[\p{L}\p{N}]/u.test(text.slice(start, end))) spans.push({ start, end });
}
