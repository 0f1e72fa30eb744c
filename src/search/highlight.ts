import { tokenize } from '../index/tokenize.ts';
import { KEYWORD_PARAMETERS } from './keyword-index.ts';
import type { Span } from './sentences.ts';

/**
 * A neighbouring sentence joins the highlight when it scores at least this fraction of the best one: the answer
 * is often split over two sentences ("It was founded in 1890. The founder was …"), and a sentence that is almost
 * as good is worth the reader's eye too. Tuned on XQuAD en/zh and DRCD together (docs/evaluation.md).
 */
export const NEIGHBOUR_RATIO = 0.8;
/** A highlight of two sentences stays under this many characters, so it is still "the sentence that answers". */
const MAX_TWO_SENTENCE_CHARS = 400;

/**
 * BM25 scores of each sentence for the question, the sentences of the passage taken as the documents (so that a
 * word every sentence shares, usually the passage's topic, counts for little), divided by the best score possible
 * for the question (Σ idf·(k1 + 1)), as the ranking's keyword confidence is: in [0, 1].
 */
export function keywordScores(question: string, sentences: readonly string[]): number[] {
  const questionTerms = [...new Set(tokenize(question))];
  const sentenceTerms = sentences.map((sentence) => tokenize(sentence));
  if (questionTerms.length === 0 || sentences.length === 0) return sentences.map(() => 0);
  const { k1, b } = KEYWORD_PARAMETERS;
  const counts = sentenceTerms.map((terms) => {
    const count = new Map<string, number>();
    for (const term of terms) count.set(term, (count.get(term) ?? 0) + 1);
    return count;
  });
  const averageLength = sentenceTerms.reduce((sum, terms) => sum + terms.length, 0) / sentences.length || 1;
  const n = sentences.length;
  const idf = new Map(questionTerms.map((term) => {
    const df = counts.filter((count) => count.has(term)).length;
    return [term, Math.log(1 + (n - df + 0.5) / (df + 0.5))];
  }));
  const bestPossible = [...idf.values()].reduce((sum, value) => sum + value * (k1 + 1), 0);
  return counts.map((count, i) => {
    const norm = k1 * (1 - b + (b * sentenceTerms[i]!.length) / averageLength);
    let score = 0;
    for (const [term, termIdf] of idf) {
      const tf = count.get(term) ?? 0;
      if (tf > 0) score += (termIdf * tf * (k1 + 1)) / (tf + norm);
    }
    return score / bestPossible;
  });
}

/**
 * The sentence that scores best, with a neighbour that scores at least {@link NEIGHBOUR_RATIO} of it (the better
 * of the two neighbours) while both stay under 400 characters. `scores[i]` is sentence i's evidence: keyword
 * score, or its mix with the sentence's cosine to the question. Nothing when no sentence has any evidence: a
 * highlight must point at something.
 */
export function chooseHighlight(sentences: readonly Span[], scores: readonly number[]): Span[] {
  let best = -1;
  for (let i = 0; i < sentences.length; i++) if (scores[i]! > 0 && (best < 0 || scores[i]! > scores[best]!)) best = i;
  if (best < 0) return [];
  const neighbours = [best - 1, best + 1].filter((i) => i >= 0 && i < sentences.length);
  const second = neighbours.sort((a, b) => scores[b]! - scores[a]!)[0];
  const chosen = [best];
  if (second !== undefined && scores[second]! >= NEIGHBOUR_RATIO * scores[best]!) {
    const [first, last] = [Math.min(best, second), Math.max(best, second)];
    if (sentences[last]!.end - sentences[first]!.start <= MAX_TWO_SENTENCE_CHARS) chosen.push(second);
  }
  return chosen.sort((a, b) => a - b).map((i) => sentences[i]!);
}

/** The evidence of each sentence: `denseWeight` × cosine + the rest × keyword score (cosines absent: keywords alone). */
export function sentenceScores(keyword: readonly number[], cosines: readonly number[] | null, denseWeight: number): number[] {
  if (cosines === null || denseWeight === 0) return [...keyword];
  return keyword.map((score, i) => denseWeight * Math.max(0, cosines[i]!) + (1 - denseWeight) * score);
}
