import { formatBytes } from './format-bytes.ts';

/**
 * Every failure a user or admin may be shown: its code and its message, written once here for them (one line, no
 * stack, never a secret) so that the CLI, slash commands and conversation answers say the same thing the same way.
 * A code whose failures are each said in one place only (a usage error, a checkpoint the importer cannot read)
 * takes the text as its detail. Anything that is not an {@link AppError} is a bug and is logged with context instead.
 * Modelled on Orama's `errors.ts` + `createError(code, …)`.
 */
const MESSAGES = {
  BAD_USAGE: (detail: string) => detail,
  EMPTY_QUESTION: () => 'Please ask a question: the text was empty.',
  QUESTION_TOO_LONG: (maxChars: number, length: number) =>
    `Questions are limited to ${maxChars.toLocaleString('en-US')} characters; this one has ${length.toLocaleString('en-US')}. Ask about one thing at a time.`,
  QUESTION_WITHOUT_WORDS: () => 'Your question has no words to search for (only symbols or emoji). Try asking in words.',
  MODEL_UNAVAILABLE: (model: string, folder: string, how: string, expected: string) =>
    `Cannot load embedding model "${model}" from ${folder}: ${how}; expected ${expected}`,
  MODEL_IMPORT_FAILED: (detail: string) => detail,
  /** `refused`: what was not done because of it ("\"a.md\" was saved but not indexed"), when there is something to say. */
  REINDEX_RUNNING: (refused?: string) =>
    refused === undefined
      ? 'A reindex is already running; try again when it has finished.'
      : `${refused}: another reindex is running (perhaps in another process); try again when it has finished.`,
  INDEX_WRITE_FAILED: (indexDir: string, reason: string) => `Could not write the index to ${indexDir} (${reason}); the previous index stays in use.`,
  STORE_UNAVAILABLE: (location: string, reason: string) =>
    `Could not reach the index database ${location} (${reason}); nothing was changed and answers continue from the index in memory. Try again once the database is back.`,
  STORE_SCHEMA_NEWER: (location: string, found: number, known: number) =>
    `The index database ${location} has schema version ${found}; this version of the bot knows versions up to ${known}: upgrade the bot.`,
  /** Without `extensions`: the name has no usable stem. */
  UNSUPPORTED_FILE: (name: string, extensions?: readonly string[]) =>
    extensions === undefined ? `"${name}" has no usable file name.` : `"${name}" is not a supported document: upload ${extensions.join(', ')} files.`,
  /** Without a file: an attachment found too large while downloading it. */
  FILE_TOO_LARGE: (limitBytes: number, file?: { readonly name: string; readonly bytes: number }) =>
    file === undefined
      ? `The attachment is larger than the ${formatBytes(limitBytes)} limit.`
      : `"${file.name}" is ${formatBytes(file.bytes)}; the limit is ${formatBytes(limitBytes)}.`,
  DOWNLOAD_FAILED: (reason: string, stage: 'start' | 'interrupted' = 'start') =>
    stage === 'start' ? `Could not download the attachment (${reason}); please try again.` : `The attachment download was interrupted (${reason}); please try again.`,
  DOCUMENT_NOT_FOUND: (name: string) => `This server has no document named "${name}".`,
  DOCUMENT_REJECTED: (name: string, reason: string, previousKept: boolean) =>
    `"${name}" was not added: ${reason}${previousKept ? '; the previous version is kept' : ''}`,
  CAPTURE_NO_TEXT: () => 'This message has no text to add to the knowledge base (only attachments, embeds or stickers).',
  CAPTURE_OWN_ANSWER: () => "This is one of the bot's own answers: it quotes documents already in the knowledge base, so it is not added again.",
  NOT_CAPTURED: () => 'This message is not in the knowledge base: nothing was removed.',
  SETTINGS_UNAVAILABLE: () => 'The settings could not be saved (the knowledge store is unavailable; see the bot log). Nothing was changed.',
  SETTING_INVALID: (detail: string) => detail,
  SOURCE_URL_REFUSED: (url: string, reason: string) => `${url} cannot be used as a source: ${reason}.`,
  SOURCE_TOO_LARGE: (url: string, limitBytes: number) =>
    `${url} is larger than SOURCE_MAX_REPOSITORY_BYTES (${formatBytes(limitBytes)}): the sync stopped and nothing was changed`,
  SOURCE_FETCH_FAILED: (url: string, reason: string) => `Could not fetch ${url}: ${reason}.`,
  SOURCE_NOT_FOUND: (id: string) => `There is no source "${id}" here. List them with /sources or docqa sources.`,
  SOURCE_EXISTS: (url: string, id: string) => `${url} is already a source (${id}); sync it instead.`,
  SOURCE_UNREADABLE: (url: string, reason: string) => `Nothing could be read from ${url}: ${reason}.`,
  CONFIG_INVALID: (name: string, expected: string, value: string) => `${name} must be ${expected} (got "${value}")`,
  DISCORD_TOKEN_MISSING: () => 'DISCORD_TOKEN is not set: copy .env.example to .env and put your bot token there.',
  DISCORD_TOKEN_REJECTED: () => 'Discord rejected DISCORD_TOKEN: reset the token in the Developer Portal (Bot → Reset Token) and update .env.',
  DISCORD_UNREACHABLE: (reason: string) => `Could not connect to Discord: ${reason}`,
  GUILD_ONLY: () => 'This command can only be used in a server.',
  NOT_ADMIN: () => 'Only server admins (Manage Server permission or an admin role) can use this command.',
  RATE_LIMITED: (waitSeconds: number) => `You're asking quickly! Please wait ${waitSeconds} s before the next question.`,
  BUSY: (retryAfterSeconds: number) => `The bot is busy answering other questions right now; please try again in ${retryAfterSeconds} s.`,
  SHUTTING_DOWN: () => 'The bot is restarting; please try again in a minute.',
  KNOWLEDGE_STORE_UNAVAILABLE: () =>
    'The knowledge store (questions, answers and votes) cannot be read right now; the bot log says why. Questions are still answered, without being recorded.',
  UNANSWERED_GROUP_GONE: () => 'That group is no longer listed (already resolved, or outside the period); run /unanswered again.',
} as const satisfies Record<string, (...args: never[]) => string>;

export type ErrorCode = keyof typeof MESSAGES;

/** A failure with a message fit to show as it is. */
export class AppError extends Error {
  override readonly name = 'AppError';
  /**
   * Use {@link createError}; this constructor is for an error whose message was already made from the table (one
   * received from the engine process).
   */
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The same error with the failure that caused it attached (for logs; the message stays as it is). */
  causedBy(cause: unknown): this {
    Object.defineProperty(this, 'cause', { value: cause, writable: true, configurable: true, enumerable: false });
    return this;
  }
}

/** Creates a coded, user-presentable error with its message from the table. */
export function createError<C extends ErrorCode>(code: C, ...args: Parameters<(typeof MESSAGES)[C]>): AppError {
  const message = (MESSAGES[code] as (...values: typeof args) => string)(...args);
  return new AppError(code, message);
}

/** The message of a code, for a refusal that is replied rather than thrown (the bot's guards). */
export function errorMessage<C extends ErrorCode>(code: C, ...args: Parameters<(typeof MESSAGES)[C]>): string {
  return createError(code, ...args).message;
}

export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}

/** The one line to show for any error: the message of an AppError, the bare message of anything else. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}
