import type { Interaction } from 'discord.js';
import type { BotContext } from '../context.ts';

/** Who is asking, and where: what every guard may look at, from a slash command, a button or a message. */
export interface GuardRequest {
  readonly userId: string;
  readonly guildId: string | null;
  /** The member's permissions and roles, as {@link isAdmin} reads them. */
  readonly member: Pick<Interaction, 'memberPermissions' | 'member'>;
}

/** What guards may consult: the bot context, and whether the bot still takes work. */
export interface GuardContext extends BotContext {
  readonly accepting: () => boolean;
}

/**
 * A named, reusable check that a command, button or the conversation path declares (Sapphire's preconditions):
 * `check` returns undefined to let the request through, or the reply that refuses it.
 */
export interface Guard {
  readonly name: string;
  check(request: GuardRequest, context: GuardContext): string | undefined;
}

/** Runs guards in order; the first refusal wins and the later guards are not run (a refused request takes no rate-limit slot). */
export function firstRefusal(guards: readonly Guard[], request: GuardRequest, context: GuardContext): string | undefined {
  for (const guard of guards) {
    const refusal = guard.check(request, context);
    if (refusal !== undefined) return refusal;
  }
  return undefined;
}
