import { CJK_RUN, pushBigrams } from './tokenize.ts';

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * The character bigrams of `text` (as the tokenizer makes them: NFKC, lower-cased, per CJK run) that only ever
 * straddle two words, by ICU's dictionary word breaker: "学在" in "北京大学在哪". A question's bigram across
 * two words is an accident of phrasing; a paragraph that lacks it can still answer. A bigram that also occurs
 * inside a word of `text` is not returned.
 */
export function bigramsAcrossWords(text: string): Set<string> {
  const all: string[] = [];
  const inside: string[] = [];
  for (const run of text.normalize('NFKC').toLowerCase().match(CJK_RUN) ?? []) {
    pushBigrams(run, all);
    for (const segment of segmenter.segment(run)) if (segment.isWordLike) pushBigrams(segment.segment, inside);
  }
  const across = new Set(all);
  for (const term of inside) across.delete(term);
  return across;
}
