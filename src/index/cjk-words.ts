// The runs the tokenizer cuts into bigrams (see tokenize.ts), matched the same way.
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30FC]+/gu;

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * The character bigrams of `text` (as the tokenizer makes them: NFKC, lower-cased, per CJK run) that only ever
 * straddle two words, by ICU's dictionary word breaker: "学在" in "北京大学在哪". A question's bigram across
 * two words is an accident of phrasing; a paragraph that lacks it can still answer. A bigram that also occurs
 * inside a word of `text` is not returned.
 */
export function bigramsAcrossWords(text: string): Set<string> {
  const normalised = text.normalize('NFKC').toLowerCase();
  const inside = new Set<string>();
  const all = new Set<string>();
  for (const run of normalised.match(CJK_RUN) ?? []) {
    addBigrams(run, all);
    for (const segment of segmenter.segment(run)) if (segment.isWordLike) addBigrams(segment.segment, inside);
  }
  for (const bigram of inside) all.delete(bigram);
  return all;
}

function addBigrams(run: string, into: Set<string>): void {
  const chars = Array.from(run);
  for (let i = 0; i + 1 < chars.length; i++) into.add(chars[i]! + chars[i + 1]!);
}
