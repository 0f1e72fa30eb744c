import type { DocumentBlocks } from './block.ts';
import { htmlBlocks } from './blocks-html.ts';
import { markdownBlocks } from './blocks-markdown.ts';
import { textBlocks } from './blocks-text.ts';
import { documentFormat, titleFromPath, type DocumentFormat } from './document-format.ts';
import { blocksToParagraphs } from './paragraphs.ts';
import type { Paragraph, SourceDocument, TokenCounter } from './types.ts';

const READERS: Readonly<Record<DocumentFormat, (content: string, path: string) => DocumentBlocks>> = {
  text: textBlocks,
  markdown: markdownBlocks,
  html: htmlBlocks,
};

/**
 * Splits a document into the paragraphs that get indexed and quoted, by its extension (unknown ones are read as
 * plain text; `.mdx` as Markdown, its docs-site dialect recognised from the file). Each paragraph fits
 * `counter.maxTokens`, carries its section and the document's title, and its `start`/`end` locate its source in
 * `doc.content`. Returns [] for a document without text; never throws on odd
 * content.
 */
export function splitDocument(doc: SourceDocument, counter: TokenCounter): Paragraph[] {
  const read = READERS[documentFormat(doc.path) ?? 'text'];
  const { title, blocks, slug, url } = read(doc.content, doc.path);
  const source = {
    document: doc.path,
    title: title ?? titleFromPath(doc.path),
    ...(slug !== undefined && { slug }),
    ...(url !== undefined && { url }),
  };
  return blocksToParagraphs(blocks, source, counter);
}
