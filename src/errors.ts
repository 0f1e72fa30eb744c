/**
 * Every failure a user or admin may be shown, by code. The message is written for them: one line, no stack, and
 * never any secret. Anything that is not an {@link AppError} is a bug and is logged with context instead.
 */
export const ERROR_CODES = {
  BAD_USAGE: 'Bad usage',
  EMPTY_QUESTION: 'Empty question',
  QUESTION_TOO_LONG: 'Question too long',
  QUESTION_WITHOUT_WORDS: 'Question without words',
  MODEL_UNAVAILABLE: 'Embedding model unavailable',
  MODEL_IMPORT_FAILED: 'Model import failed',
  REINDEX_RUNNING: 'Reindex already running',
  INDEX_WRITE_FAILED: 'Index write failed',
  UNSUPPORTED_FILE: 'Unsupported file',
  FILE_TOO_LARGE: 'File too large',
  DOWNLOAD_FAILED: 'Download failed',
  DOCUMENT_NOT_FOUND: 'Document not found',
  DOCUMENT_REJECTED: 'Document rejected',
  CONFIG_INVALID: 'Invalid configuration',
  NOT_ALLOWED: 'Not allowed',
  RATE_LIMITED: 'Rate limited',
  BUSY: 'Busy',
  SHUTTING_DOWN: 'Shutting down',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** A failure with a message fit to show as it is. */
export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Creates a coded, user-presentable error. */
export function createError(code: ErrorCode, message: string, cause?: unknown): AppError {
  return new AppError(code, message, cause === undefined ? undefined : { cause });
}

export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}

/** The one line to show for any error: the message of an AppError, the bare message of anything else. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}
