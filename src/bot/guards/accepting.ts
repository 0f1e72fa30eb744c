import { errorMessage } from '../../errors.ts';
import type { Guard } from './guard.ts';

/** Refuses new work while the bot is stopping (restarting). */
export const accepting: Guard = {
  name: 'accepting',
  check: (_request, context) => (context.accepting() ? undefined : errorMessage('SHUTTING_DOWN')),
};
