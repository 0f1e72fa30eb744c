import { errorMessage } from '../../errors.ts';
import type { Guard } from './guard.ts';

/** The per-member question limit (RATE_LIMIT_PER_MINUTE): each request let through takes a slot. */
export const rateLimit: Guard = {
  name: 'rateLimit',
  check: (request, context) => {
    const wait = context.rateLimiter.take(request.userId);
    return wait > 0 ? errorMessage('RATE_LIMITED', wait) : undefined;
  },
};
