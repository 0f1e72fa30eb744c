import path from 'node:path';
import { createError } from '../errors.ts';
import { DOCUMENT_EXTENSIONS } from '../ingest/document-format.ts';

/**
 * Turns an uploaded file's name into a safe name for the documents folder: no folders (`../../x.md` → `x.md`),
 * no hidden files, only letters, digits, `.`, `_` and `-`, at most 100 characters, and a supported extension.
 */
export function safeDocumentName(uploaded: string): string {
  const base = uploaded.normalize('NFKC').split(/[\\/]/).pop() ?? '';
  const extension = path.extname(base).toLowerCase();
  if (!DOCUMENT_EXTENSIONS.includes(extension)) {
    throw createError('UNSUPPORTED_FILE', truncate(base), DOCUMENT_EXTENSIONS);
  }
  const stem = base
    .slice(0, base.length - extension.length)
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/^[.\-_]+|[.\-_]+$/g, '')
    .slice(0, 100 - extension.length);
  if (stem === '') throw createError('UNSUPPORTED_FILE', truncate(base));
  return stem + extension;
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
