import type { ButtonInteraction, ChatInputCommandInteraction, Interaction } from 'discord.js';
import type { Command } from './command.ts';
import type { BotContext } from './context.ts';
import { logFailure, withErrorBoundary } from './error-boundary.ts';
import { accepting as acceptingGuard } from './guards/accepting.ts';
import { firstRefusal, type Guard, type GuardContext, type GuardRequest } from './guards/guard.ts';
import { notify } from './reply.ts';

/**
 * Routes interactions to commands: every slash command and button first passes `accepting`, then the guards its
 * command declares (admin, guild only, rate limit: `src/bot/guards/`), inside the one error boundary, which turns
 * AppErrors into an ephemeral reply with their message; anything else is logged with context and the member sees
 * a generic apology, never a stack trace.
 */
export function createInteractionRouter(commands: ReadonlyMap<string, Command>, context: BotContext, accepting: () => boolean) {
  const guardContext: GuardContext = { ...context, accepting };
  return async function route(interaction: Interaction): Promise<void> {
    if (interaction.isAutocomplete()) {
      const command = commands.get(interaction.commandName);
      if (!command?.autocomplete || firstRefusal(command.guards ?? [], guardRequest(interaction), guardContext) !== undefined) {
        await interaction.respond([]).catch(() => undefined);
        return;
      }
      await command.autocomplete(interaction, context).catch((error) => logFailure(context.logger, `autocomplete /${interaction.commandName}`, error));
      return;
    }
    if (!interaction.isChatInputCommand() && !interaction.isButton()) return;

    const command = interaction.isChatInputCommand()
      ? commands.get(interaction.commandName)
      : commands.get(interaction.customId.split(':')[0] ?? '');
    const label = interaction.isChatInputCommand() ? `/${interaction.commandName}` : `button ${interaction.customId}`;
    await withErrorBoundary(
      context.logger,
      `${label} by ${interaction.user.id} in ${interaction.guildId ?? 'DM'}`,
      async () => {
        if (!command || (interaction.isButton() && !command.button)) {
          await notify(interaction, 'This command is no longer available.');
          return;
        }
        const refusal = firstRefusal([acceptingGuard, ...guardsFor(command, interaction)], guardRequest(interaction), guardContext);
        if (refusal !== undefined) {
          await notify(interaction, refusal);
          return;
        }
        if (interaction.isButton()) await command.button!(interaction, context);
        else await command.execute(interaction, context);
      },
      (text) => notify(interaction, text),
    );
  };
}

function guardsFor(command: Command, interaction: ChatInputCommandInteraction | ButtonInteraction): readonly Guard[] {
  if (interaction.isButton()) {
    const declared = command.buttonGuards?.find(({ prefix }) => interaction.customId.startsWith(prefix));
    if (declared) return declared.guards;
  }
  return command.guards ?? [];
}

function guardRequest(interaction: Interaction): GuardRequest {
  return { userId: interaction.user.id, guildId: interaction.guildId, member: interaction };
}
