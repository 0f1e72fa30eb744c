import type { DocumentBlocks } from './block.ts';
import { pdfBlocks } from './blocks-pdf.ts';
import { htmlBlocks } from './blocks-html.ts';
import { markdownBlocks } from './blocks-markdown.ts';
import { textBlocks } from './blocks-text.ts';
import { docxToHtml } from './docx-html.ts';
import { documentFormat, isBinaryFormat, titleFromPath, type DocumentFormat } from './document-format.ts';
import { blocksToParagraphs } from './paragraphs.ts';
import type { Paragraph, SourceDocument, TokenCounter } from './types.ts';

type TextFormat = Exclude<DocumentFormat, 'pdf' | 'docx'>;

const READERS: Readonly<Record<TextFormat, (content: string, path: string) => DocumentBlocks>> = {
  text: textBlocks,
  markdown: markdownBlocks,
  html: htmlBlocks,
};

/** Binary formats: their bytes become blocks (asynchronously: the parsers are). */
const BINARY_READERS: Readonly<Record<Exclude<DocumentFormat, TextFormat>, (bytes: Uint8Array) => Promise<DocumentBlocks>>> = {
  pdf: pdfBlocks,
  docx: async (bytes) => htmlBlocks(await docxToHtml(bytes)),
};

/**
 * Splits a text document into the paragraphs that get indexed and quoted, by its extension (unknown ones are read
 * as plain text; `.mdx` as Markdown, its docs-site dialect recognised from the file). Each paragraph fits
 * `counter.maxTokens`, carries its section and the document's title, and its `start`/`end` locate its source in
 * `doc.content`. Returns [] for a document without text; never throws on odd content. A PDF or Word document
 * needs {@link splitAnyDocument}.
 */
export function splitDocument(doc: SourceDocument, counter: TokenCounter): Paragraph[] {
  const format = documentFormat(doc.path) ?? 'text';
  if (isBinaryFormat(format)) throw new Error(`${doc.path}: a ${format} document is split by splitAnyDocument`);
  return toParagraphs(READERS[format as TextFormat](doc.content, doc.path), doc, counter);
}

/**
 * Splits any document, text or binary (PDF, Word: parsed from `doc.bytes`, headings kept as sections, a PDF's
 * paragraphs carrying their page). Throws an UnreadableDocument, with the reason for the admin, for a binary file
 * that cannot be indexed (corrupt, encrypted, a scan without text, a zip bomb); other errors are parser failures.
 */
export async function splitAnyDocument(doc: SourceDocument, counter: TokenCounter): Promise<Paragraph[]> {
  const format = documentFormat(doc.path) ?? 'text';
  if (!isBinaryFormat(format)) return splitDocument(doc, counter);
  const read = BINARY_READERS[format as Exclude<DocumentFormat, TextFormat>];
  return toParagraphs(await read(doc.bytes ?? new Uint8Array()), doc, counter);
}

function toParagraphs({ title, blocks, slug, permalink, url }: DocumentBlocks, doc: SourceDocument, counter: TokenCounter): Paragraph[] {
  const source = {
    document: doc.path,
    title: title ?? titleFromPath(doc.path),
    ...(slug !== undefined && { slug }),
    ...(permalink !== undefined && { permalink }),
    ...(url !== undefined && { url }),
  };
  return blocksToParagraphs(blocks, source, counter);
}
