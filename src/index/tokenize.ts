import { stemmer } from 'stemmer';

/** How {@link tokenize} turns words into index terms. */
export interface TokenizeOptions {
  /** Reduce Latin-script words to their Porter stem, so "running", "runs" and "run" become one term. */
  stem: boolean;
  /** Drop common English function words ("the", "of", "is"…), which carry no topic. */
  stopWords: boolean;
}

const DEFAULT_OPTIONS: TokenizeOptions = { stem: true, stopWords: true };

/**
 * A compact English stop list (the NLTK core, 127 words), plus the apostrophe-less spellings our contraction
 * rule produces ("dont", "isnt"), which would otherwise become rare, high-idf terms in questions.
 * Deliberately short: BM25's idf already discounts frequent words, and over-long lists remove words that matter
 * in technical text ("first", "system", "value").
 */
const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set([
  'a', 'about', 'above', 'after', 'again', 'against', 'all', 'am', 'an', 'and', 'any', 'are', 'as', 'at',
  'be', 'because', 'been', 'before', 'being', 'below', 'between', 'both', 'but', 'by',
  'can', 'could', 'did', 'do', 'does', 'doing', 'down', 'during', 'each', 'few', 'for', 'from', 'further',
  'had', 'has', 'have', 'having', 'he', 'her', 'here', 'hers', 'herself', 'him', 'himself', 'his', 'how',
  'i', 'if', 'in', 'into', 'is', 'it', 'its', 'itself', 'just', 'me', 'more', 'most', 'my', 'myself',
  'no', 'nor', 'not', 'now', 'of', 'off', 'on', 'once', 'only', 'or', 'other', 'our', 'ours', 'ourselves', 'out',
  'over', 'own', 'same', 'she', 'should', 'so', 'some', 'such', 'than', 'that', 'the', 'their', 'theirs', 'them',
  'themselves', 'then', 'there', 'these', 'they', 'this', 'those', 'through', 'to', 'too', 'under', 'until', 'up',
  'very', 'was', 'we', 'were', 'what', 'when', 'where', 'which', 'while', 'who', 'whom', 'why', 'will', 'with',
  'would', 'you', 'your', 'yours', 'yourself', 'yourselves',
  // Contractions, as the apostrophe rule below spells them. "I'd" and "I'll" are left out: "id" and "ill" are
  // words too, and "id" is a common one in technical documents.
  'arent', 'cant', 'couldnt', 'didnt', 'doesnt', 'dont', 'hadnt', 'hasnt', 'havent', 'hes', 'im', 'isnt', 'ive',
  'shes', 'shouldnt', 'thats', 'theres', 'theyre', 'theyve', 'wasnt', 'weve', 'whats', 'wont', 'wouldnt', 'youd',
  'youll', 'youre', 'youve',
  // Question phrasing ("how many", "what is it called", "what type of"), chosen on XQuAD: they name no topic
  // but match many paragraphs, pushing the right one down (English Recall@5 0.988 → 0.991).
  'many', 'called', 'name', 'named', 'type', 'types', 'kind', 'kinds',
]);

// Han, kana and Hangul are written without spaces between words, so their runs are cut into character bigrams
// (the CJK bigram scheme Lucene and Elasticsearch use) instead of words. U+30FC, the katakana long-vowel mark, is
// Script=Common but belongs inside katakana words ("タワー"). Script (not Script_Extensions) is deliberate: the
// latter would pull ideographic punctuation such as "。" and "、" into the runs.
/** The characters (a class body, for `[…]`) whose runs {@link tokenize} cuts into bigrams. */
export const CJK = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30FC`;
/** The runs of text that {@link tokenize} cuts into bigrams (after NFKC and lower-casing). */
export const CJK_RUN = new RegExp(`[${CJK}]+`, 'gu');
// A word starts with a letter or digit and may continue with combining marks (needed for Indic scripts, and for
// Latin text that NFKC leaves decomposed). Variation selectors are marks too, but they only style emoji ("❤️").
const WORD_START = String.raw`[[\p{L}\p{N}]--[${CJK}]]`;
const WORD_PART = String.raw`[[\p{L}\p{N}\p{Mn}\p{Mc}]--[${CJK}\u{FE00}-\u{FE0F}\u{E0100}-\u{E01EF}]]`;
const APOSTROPHE = String.raw`['\u2019\u02BC]`;
// One pass over the text: group 1 is a CJK run, otherwise the match is a word, apostrophe-joined parts included
// ("don't"), so that the contraction rule can see the whole thing. Built with `new RegExp` because the `v` flag
// (class set subtraction) is newer than this project's TypeScript target allows in a literal.
const TOKEN_PATTERN = new RegExp(
  String.raw`([${CJK}]+)|${WORD_START}${WORD_PART}*(?:${APOSTROPHE}${WORD_PART}+)*`,
  'gv',
);
// The same for ASCII-only text (no CJK branch, so group 1 never matches).
const ASCII_TOKEN_PATTERN = /[a-z0-9]+(?:'[a-z0-9]+)*/g;
const APOSTROPHES = new RegExp(APOSTROPHE, 'gv');
// English clitics after an apostrophe. Only these are glued to the word ("don't" → "dont", "John's" → "johns" →
// stem "john"); any other apostrophe splits ("l'homme" → "l", "homme"), which suits elided French/Italian.
const ENGLISH_CLITICS: ReadonlySet<string> = new Set(['s', 't', 're', 've', 'll', 'd', 'm']);

const NON_ASCII = /[^\x00-\x7F]/;
// "1️⃣" is a digit plus an enclosing keycap mark: an emoji, which must not become the term "1".
const KEYCAP_EMOJI = /[0-9#*]\uFE0F?\u20E3/g;
const LATIN_WORD = /^[\p{Script=Latin}\p{M}\p{N}]+$/u;
const COMBINING_MARKS = /\p{Mn}/gu;

// Words follow Zipf's law, so a memo of stems saves most of the Porter stemmer's regex work (~3× faster on a
// large corpus). Sized above a typical corpus vocabulary (~10 MB when full); cleared when full rather than kept
// LRU: simpler, and it refills with the frequent words first.
const STEM_CACHE_LIMIT = 100_000;
const stemCache = new Map<string, string>();

/**
 * Splits text into index terms: NFKC-normalised, lower-cased, Latin diacritics removed, English stop words
 * dropped and Porter-stemmed (both optional), CJK runs as overlapping character bigrams. Punctuation, symbols and
 * emoji yield nothing. Queries and documents must go through the same options for their terms to meet.
 *
 * @example tokenize("Running the iPhone手机") // → ["run", "iphon", "手机"]
 */
export function tokenize(text: string, options?: Partial<TokenizeOptions>): string[] {
  const stem = options?.stem ?? DEFAULT_OPTIONS.stem;
  const stopWords = options?.stopWords ?? DEFAULT_OPTIONS.stopWords;
  const terms: string[] = [];
  // Most paragraphs are pure ASCII: nothing to normalise, no CJK, no accents, and a plain ASCII pattern runs
  // about 1.5× faster than the Unicode-property one. toLowerCase is locale-independent (toLocaleLowerCase is not).
  const ascii = !NON_ASCII.test(text);
  const normalised = (ascii ? text : normaliseUnicode(text)).toLowerCase();
  const pattern = ascii ? ASCII_TOKEN_PATTERN : TOKEN_PATTERN;
  // Shared global regexes (no per-call compilation); safe because this loop is synchronous and not re-entered.
  pattern.lastIndex = 0;
  for (let match = pattern.exec(normalised); match !== null; match = pattern.exec(normalised)) {
    const cjkRun = match[1];
    if (cjkRun !== undefined) pushBigrams(cjkRun, terms);
    else if (!hasApostrophe(match[0])) pushWord(match[0], ascii, stem, stopWords, terms);
    else for (const word of splitContraction(match[0])) pushWord(word, ascii, stem, stopWords, terms);
  }
  return terms;
}

/** NFKC folds full-width letters, ligatures ("ﬁ") and other compatibility forms into the ordinary ones. */
function normaliseUnicode(text: string): string {
  const normalised = text.normalize('NFKC');
  return normalised.includes('\u20E3') ? normalised.replace(KEYCAP_EMOJI, ' ') : normalised;
}

/** `asciiText`: the whole text is ASCII, so this word is too and needs no checks. */
function pushWord(raw: string, asciiText: boolean, stem: boolean, stopWords: boolean, terms: string[]): void {
  let word = raw;
  let ascii = asciiText || !NON_ASCII.test(word);
  if (!ascii && LATIN_WORD.test(word)) {
    // "café" and "cafe" should meet: people often type without accents. Only for Latin script, where the marks
    // are accents; in Devanagari or Hebrew they are vowels, and in Hangul NFD would break syllables apart.
    word = word.normalize('NFD').replace(COMBINING_MARKS, '').normalize('NFC');
    ascii = !NON_ASCII.test(word);
  }
  if (stopWords && ENGLISH_STOP_WORDS.has(word)) return;
  // Porter's rules are English suffix rules over ASCII; applied to "straße" or Cyrillic they would only mangle.
  terms.push(stem && ascii ? stemOf(word) : word);
}

function stemOf(word: string): string {
  let stemmed = stemCache.get(word);
  if (stemmed === undefined) {
    if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
    stemmed = stemmer(word);
    stemCache.set(word, stemmed);
  }
  return stemmed;
}

function hasApostrophe(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    if (code === 0x27 || code === 0x2019 || code === 0x02bc) return true;
  }
  return false;
}

/** "don't" → ["dont"]; "rock'n'roll" → ["rock", "n", "roll"]; "l'homme" → ["l", "homme"]. */
function splitContraction(word: string): string[] {
  const parts = word.split(APOSTROPHES);
  if (parts.length === 2 && ENGLISH_CLITICS.has(parts[1]!)) return [parts[0]! + parts[1]!];
  return parts;
}

/** Overlapping bigrams of a CJK run; a lone character stays a unigram so that it is still searchable. */
export function pushBigrams(run: string, terms: string[]): void {
  // Han extension B and later are outside the BMP: iterate code points, not UTF-16 units.
  const chars = run.length === 1 ? [run] : Array.from(run);
  if (chars.length === 1) {
    terms.push(chars[0]!);
    return;
  }
  for (let i = 0; i + 1 < chars.length; i++) terms.push(chars[i]! + chars[i + 1]!);
}
