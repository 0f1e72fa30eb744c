import { tokenize } from '../index/tokenize.ts';
import type { StoredParagraph } from '../store/generation.ts';
import { cjkCharacters, isMostlyCjk } from './script.ts';
import { splitSentences } from './sentences.ts';

/**
 * Weight of {@link sentenceCoverage} in a passage's score in keyword and hybrid mode, by the question's script:
 * score = (1 − w) × the retrievers' score + w × coverage. Measured on XQuAD en/zh and DRCD (docs/evaluation.md,
 * steps 9 and 11): for alphabetic questions 0.15–0.25 lift Recall@1 most (above that Recall@5 starts to fall);
 * for Chinese ones, above 0.1 XQuAD-zh and DRCD pull apart (at 0.35 two questions fewer first on one, seven more
 * on the other) and abstention gets worse.
 */
export const SENTENCE_COVERAGE_RANK_WEIGHT = { alphabetic: 0.2, cjk: 0.1 } as const;

/** {@link SENTENCE_COVERAGE_RANK_WEIGHT} for a question. */
export function sentenceCoverageRankWeight(question: string): number {
  return isMostlyCjk(question) ? SENTENCE_COVERAGE_RANK_WEIGHT.cjk : SENTENCE_COVERAGE_RANK_WEIGHT.alphabetic;
}

/**
 * The largest share of the question's term weight (idf, as keyword search weighs the terms; terms no passage
 * holds count at full weight) that ONE sentence of the passage holds, counting its title and section with every
 * sentence. A SQuAD-style answer sits in one sentence that shares the question's words; another paragraph of the
 * same document tends to scatter them over several sentences. In [0, 1]; 0 without weighted terms.
 */
export function sentenceCoverage(
  termWeights: ReadonlyMap<string, number>,
  paragraph: Pick<StoredParagraph, 'title' | 'section' | 'text'>,
): number {
  let total = 0;
  for (const weight of termWeights.values()) total += weight;
  if (!(total > 0)) return 0;
  const heading = new Set([...tokenize(paragraph.title), ...tokenize(paragraph.section)]);
  let inHeading = 0;
  for (const [term, weight] of termWeights) if (heading.has(term)) inHeading += weight;
  let best = inHeading;
  for (const span of splitSentences(paragraph.text)) {
    const terms = new Set(tokenize(paragraph.text.slice(span.start, span.end)));
    let covered = inHeading;
    for (const [term, weight] of termWeights) if (!heading.has(term) && terms.has(term)) covered += weight;
    if (covered > best) best = covered;
  }
  return Math.min(1, best / total);
}

/**
 * The share of the question's distinct Chinese, Japanese or Korean characters (NFKC) that ONE sentence of the
 * passage holds. Bigrams miss what a Chinese answer sentence shares with its question when the words are
 * phrased apart ("哪一年" / "年"); characters do not, and a paragraph that merely shares the topic holds fewer of
 * them in any one sentence. In [0, 1]; 0 for a question without such characters.
 */
export function characterCoverage(question: string, paragraph: Pick<StoredParagraph, 'text'>): number {
  const asked = new Set(cjkCharacters(question.normalize('NFKC')));
  if (asked.size === 0) return 0;
  let best = 0;
  // Split before normalising: NFKC turns "？" into "?", which splitSentences reads differently.
  for (const span of splitSentences(paragraph.text)) {
    const held = new Set(cjkCharacters(paragraph.text.slice(span.start, span.end).normalize('NFKC')));
    let shared = 0;
    for (const character of asked) if (held.has(character)) shared++;
    if (shared > best) best = shared;
  }
  return best / asked.size;
}
