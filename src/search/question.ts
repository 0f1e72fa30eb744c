import { createError } from '../errors.ts';

/**
 * Cleans a question as typed by a person and rejects what cannot be searched, with a message they can act on:
 * control characters and unpaired surrogates are removed, whitespace collapsed.
 */
export function normalizeQuestion(raw: string, maxChars: number): string {
  const question = raw
    .toWellFormed()
    .replace(/\uFFFD/g, ' ')
    .replace(/[\p{Cc}\p{Cf}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (question === '') throw createError('EMPTY_QUESTION');
  const length = [...question].length;
  if (length > maxChars) {
    throw createError('QUESTION_TOO_LONG', maxChars, length);
  }
  if (!/[\p{L}\p{N}]/u.test(question)) {
    throw createError('QUESTION_WITHOUT_WORDS');
  }
  return question;
}
