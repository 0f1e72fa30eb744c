import { Bm25Index } from '../index/bm25-index.ts';
import type { StoredParagraph } from '../index/index-storage.ts';

/**
 * BM25 parameters tuned on XQuAD (see docs/evaluation.md): k1 = 0.9, b = 0.4 (the Anserini defaults) beat
 * Lucene's 1.2 / 0.75 on both English and Chinese, because paragraphs vary a lot in length and answers hide in
 * long ones, which b = 0.75 penalises too much.
 */
export const KEYWORD_PARAMETERS = { k1: 0.9, b: 0.4 } as const;

/**
 * The text a paragraph is found by: its document title and section, then the paragraph. A question often names
 * the topic ("Huguenots", "password reset") that only the heading states.
 */
export function keywordText(paragraph: Pick<StoredParagraph, 'title' | 'section' | 'text'>): string {
  return `${paragraph.title}\n${paragraph.section}\n${paragraph.text}`;
}

/** The keyword index over a set of paragraphs, as the engine and the evaluation both build it. */
export function buildKeywordIndex(paragraphs: Iterable<StoredParagraph>): Bm25Index {
  const index = new Bm25Index(KEYWORD_PARAMETERS);
  for (const paragraph of paragraphs) index.add(paragraph.label, keywordText(paragraph));
  index.compact(); // built once per published generation, never added to
  return index;
}
