import type { Embedder } from '../embed/embedder.ts';
import { splitAnyDocument } from '../ingest/split-document.ts';
import { UnreadableDocument } from '../ingest/unreadable-document.ts';
import type { Paragraph } from '../ingest/types.ts';
import type { SplitDocument } from './build-index.ts';
import type { ScopedDocument } from './document-sources.ts';
import { IsolatedSplitter, type SplitBudget } from './isolated-splitter.ts';

const NO_TEXT = 'it has no text to index';

/** A document left out of the index, and why. */
export interface SplitSkip {
  readonly document: ScopedDocument;
  readonly reason: string;
}

/**
 * Splits every document into paragraphs in a child process, each within `budget`; a document over budget is
 * skipped with its reason and the others are unaffected. An embedder that cannot describe its tokenizer to
 * another process (a test fake) has its documents split in this thread, without a budget.
 */
export async function splitDocuments(
  documents: readonly ScopedDocument[],
  embedder: Embedder | null,
  approximateMaxTokens: number,
  budget: SplitBudget,
): Promise<{ split: SplitDocument[]; skipped: SplitSkip[] }> {
  const split: SplitDocument[] = [];
  const skipped: SplitSkip[] = [];
  const keep = (document: ScopedDocument, paragraphs: readonly Paragraph[]) => {
    // Not indexed, so never listed and never removable: say so, as for any other document left out.
    if (paragraphs.length === 0) skipped.push({ document, reason: NO_TEXT });
    else split.push({ document, paragraphs });
  };
  if (embedder && !embedder.tokenizerSource) {
    for (const document of documents) {
      try {
        keep(document, await splitAnyDocument(document, embedder));
      } catch (error) {
        if (!(error instanceof UnreadableDocument)) throw error;
        skipped.push({ document, reason: error.message });
      }
    }
    return { split, skipped };
  }
  if (documents.length === 0) return { split, skipped };
  const splitter = new IsolatedSplitter(
    embedder ? { kind: 'tokenizer', source: embedder.tokenizerSource! } : { kind: 'approximate', maxTokens: approximateMaxTokens },
    budget,
  );
  try {
    for (const document of documents) {
      const outcome = await splitter.split(document);
      if ('paragraphs' in outcome) keep(document, outcome.paragraphs);
      else skipped.push({ document, reason: outcome.skipped });
    }
  } finally {
    await splitter.close();
  }
  return { split, skipped };
}
