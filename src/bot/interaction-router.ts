import type { Interaction } from 'discord.js';
import { describeError, isAppError } from '../errors.ts';
import type { Command } from './command.ts';
import type { BotContext } from './context.ts';
import { isAdmin } from './permissions.ts';
import { notify } from './reply.ts';

/**
 * Routes interactions to commands, enforcing what every command shares: admin re-check, the per-member rate
 * limit (questions, and the buttons that search again), and the one error boundary. AppErrors become an ephemeral reply with their message; anything else is
 * logged with context and the member sees a generic apology, never a stack trace.
 */
export function createInteractionRouter(commands: ReadonlyMap<string, Command>, context: BotContext, accepting: () => boolean) {
  return async function route(interaction: Interaction): Promise<void> {
    if (interaction.isAutocomplete()) {
      const command = commands.get(interaction.commandName);
      if (!command?.autocomplete || (command.admin && !isAdmin(interaction, context.config.adminRoleIds))) {
        await interaction.respond([]).catch(() => undefined);
        return;
      }
      await command.autocomplete(interaction, context).catch((error) => logFailure(context, `autocomplete /${interaction.commandName}`, error));
      return;
    }
    if (!interaction.isChatInputCommand() && !interaction.isButton()) return;

    const command = interaction.isChatInputCommand()
      ? commands.get(interaction.commandName)
      : commands.get(interaction.customId.split(':')[0] ?? '');
    const label = interaction.isChatInputCommand() ? `/${interaction.commandName}` : `button ${interaction.customId}`;
    try {
      if (!command || (interaction.isButton() && !command.button)) {
        await notify(interaction, 'This command is no longer available.');
        return;
      }
      if (!accepting()) {
        await notify(interaction, 'The bot is restarting; please try again in a minute.');
        return;
      }
      if (command.admin && !isAdmin(interaction, context.config.adminRoleIds)) {
        await notify(interaction, 'Only server admins (Manage Server permission or an admin role) can use this command.');
        return;
      }
      const rateLimited = interaction.isChatInputCommand()
        ? command.rateLimited
        : command.rateLimitedButtons?.some((prefix) => interaction.customId.startsWith(prefix));
      if (rateLimited) {
        const wait = context.rateLimiter.take(interaction.user.id);
        if (wait > 0) {
          await notify(interaction, `You're asking quickly! Please wait ${wait} s before the next question.`);
          return;
        }
      }
      if (interaction.isButton()) await command.button!(interaction, context);
      else await command.execute(interaction, context);
    } catch (error) {
      if (!isAppError(error)) logFailure(context, `${label} by ${interaction.user.id} in ${interaction.guildId ?? 'DM'}`, error);
      const message = isAppError(error) ? error.message : 'Something went wrong on our side; the error has been logged.';
      await notify(interaction, message).catch((replyError) => logFailure(context, `${label} error reply`, replyError));
    }
  };
}

function logFailure(context: BotContext, what: string, error: unknown): void {
  context.logger.error(`${what} failed: ${describeError(error)}${error instanceof Error && error.stack ? `\n${error.stack}` : ''}`);
}
