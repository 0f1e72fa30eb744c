import { describeError, isAppError } from '../errors.ts';
import type { Logger } from '../logger.ts';

/** What a member sees when something that is not an AppError failed: never a stack trace. */
export const GENERIC_FAILURE = 'Something went wrong on our side; the error has been logged.';

/**
 * The one error boundary, shared by every kind of event (slash commands, buttons, conversation questions): runs
 * `work`; an AppError becomes a reply with its message, anything else is logged with `what` and answered with a
 * generic apology. A failure to send that reply is logged, never thrown.
 */
export async function withErrorBoundary(logger: Logger, what: string, work: () => Promise<void>, replyWith: (text: string) => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!isAppError(error)) logFailure(logger, what, error);
    await replyWith(isAppError(error) ? error.message : GENERIC_FAILURE).catch((replyError) => logFailure(logger, `${what}: error reply`, replyError));
  }
}

export function logFailure(logger: Logger, what: string, error: unknown): void {
  logger.error(`${what} failed: ${describeError(error)}${error instanceof Error && error.stack ? `\n${error.stack}` : ''}`);
}
