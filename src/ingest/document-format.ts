import path from 'node:path';

/** The formats ingestion can split, each with its own block reader. */
export type DocumentFormat = 'text' | 'markdown' | 'html' | 'pdf' | 'docx';

/** Formats read as bytes, never decoded as text: they are parsed only inside the splitting process. */
const BINARY_FORMATS: ReadonlySet<DocumentFormat> = new Set(['pdf', 'docx']);

const FORMAT_BY_EXTENSION: Readonly<Record<string, DocumentFormat>> = {
  '.txt': 'text',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.mdx': 'markdown',
  '.html': 'html',
  '.htm': 'html',
  '.pdf': 'pdf',
  '.docx': 'docx',
};

/** Extensions ingestion reads (what uploads may use). */
export const DOCUMENT_EXTENSIONS: readonly string[] = Object.keys(FORMAT_BY_EXTENSION);

/** The format of a document from its file extension (any case), or undefined when it is not a document. */
export function documentFormat(filePath: string): DocumentFormat | undefined {
  return FORMAT_BY_EXTENSION[path.posix.extname(filePath).toLowerCase()];
}

/** Whether a document of this format is kept as bytes (PDF, Word) rather than decoded as text. */
export function isBinaryFormat(format: DocumentFormat | undefined): boolean {
  return format !== undefined && BINARY_FORMATS.has(format);
}

/** A readable title from a file name: `guides/reset_password.md` → `reset password`. */
export function titleFromPath(filePath: string): string {
  const name = path.posix.basename(filePath.replaceAll('\\', '/'));
  const stem = name.slice(0, name.length - path.posix.extname(name).length) || name;
  return stem.replace(/[-_]+/g, ' ').replace(/\s+/g, ' ').trim() || stem;
}
