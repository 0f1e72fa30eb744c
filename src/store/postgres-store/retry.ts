/** Errors that say the database could not be reached or went away, not that the request was wrong. */
export function isUnreachable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    // Node's socket errors; SQLSTATE class 08 (connection exception), 57P01-57P03 (shutdown, cannot connect now), 53300 (too many connections).
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) return true;
    if (code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code)) return true;
  }
  return typeof message === 'string' && /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(message);
}

export interface RetryOptions {
  /** Tries in all, the first included. */
  readonly attempts: number;
  /** Wait before the second try; doubled each time after. */
  readonly firstDelayMs: number;
}

/** Runs `operation`, trying again with exponential backoff while the database is unreachable; other errors at once. */
export async function withRetry<T>(operation: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= options.attempts || !isUnreachable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, options.firstDelayMs * 2 ** (attempt - 1)));
    }
  }
}
