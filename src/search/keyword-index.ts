import { Bm25Index, type KeywordHit } from '../index/bm25-index.ts';
import type { StoredParagraph } from '../store/generation.ts';
import { tokenize } from '../index/tokenize.ts';

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
  return `${paragraph.title}\n${paragraph.section}\n${withoutLinkTargets(paragraph.text)}`;
}

/**
 * Paragraph text without the targets of its links: Markdown keeps `[text](https://…)` as written, for quoting,
 * but "https", "github", "com" and the path's words are not what the paragraph is about. The link's text stays;
 * so do code, whose punctuation the tokenizer drops anyway (fences, `|` of tables, backticks).
 */
export function withoutLinkTargets(text: string): string {
  return text.replace(/\]\([^()\s]*\)/g, ']').replace(/\b(?:https?|ftp):\/\/[^\s<>()]*/g, ' ');
}

/**
 * Keyword search with one BM25 index per knowledge base ("" = shared, else a server id). A search combines the
 * statistics (N, df, avgdl) of exactly the knowledge bases the asker sees, so one server's documents can never
 * change another server's scores, nor whether its answers pass the "no confident match" threshold.
 */
export class ScopedKeywordIndex {
  private readonly byScope = new Map<string, Bm25Index>();

  /**
   * Indexes a paragraph by {@link keywordText}. A paragraph whose own text has no terms (emoji, zero-width
   * characters, punctuation) is left out: its title alone would match it to questions it cannot answer.
   */
  add(paragraph: StoredParagraph): void {
    const textTerms = tokenize(withoutLinkTargets(paragraph.text));
    if (textTerms.length === 0) return;
    let index = this.byScope.get(paragraph.scope);
    if (index === undefined) {
      index = new Bm25Index(KEYWORD_PARAMETERS);
      this.byScope.set(paragraph.scope, index);
    }
    // The three parts tokenized apart give the terms of keywordText(), whose line breaks end every word anyway.
    index.addTerms(paragraph.label, [...tokenize(paragraph.title), ...tokenize(paragraph.section), ...textTerms]);
  }

  /** See {@link Bm25Index.compact}. */
  compact(): void {
    for (const index of this.byScope.values()) index.compact();
  }

  /** The idf of each of the question's terms over the given knowledge bases (see {@link Bm25Index.termWeights}). */
  termWeights(question: string, scopes: ReadonlySet<string>): Map<string, number> {
    return Bm25Index.termWeights(this.indexesOf(scopes), question);
  }

  /** The at most `k` best paragraphs of the given knowledge bases (that `filter` accepts), scored against those alone. */
  search(question: string, k: number, scopes: ReadonlySet<string>, filter?: (label: number) => boolean): KeywordHit[] {
    return Bm25Index.searchAll(this.indexesOf(scopes), question, k, filter);
  }

  private indexesOf(scopes: ReadonlySet<string>): Bm25Index[] {
    return [...scopes].sort().flatMap((scope) => this.byScope.get(scope) ?? []);
  }
}

/** The keyword index over a set of paragraphs, as the engine and the evaluation both build it. */
export function buildKeywordIndex(paragraphs: Iterable<StoredParagraph>): ScopedKeywordIndex {
  const index = new ScopedKeywordIndex();
  for (const paragraph of paragraphs) index.add(paragraph);
  index.compact(); // built once per published generation, never added to
  return index;
}
