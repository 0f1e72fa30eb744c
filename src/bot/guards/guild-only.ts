import { errorMessage } from '../../errors.ts';
import type { Guard } from './guard.ts';

/** Refuses outside a server (in DMs): for commands that act on the server's own documents. */
export const guildOnly: Guard = {
  name: 'guildOnly',
  check: (request) => (request.guildId ? undefined : errorMessage('GUILD_ONLY')),
};
