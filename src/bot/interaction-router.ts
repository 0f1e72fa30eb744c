import type { ButtonInteraction, ChatInputCommandInteraction, Interaction, MessageContextMenuCommandInteraction } from 'discord.js';
import { isMessageCommand, type AnyCommand, type Command, type MessageCommand } from './command.ts';
import type { BotContext } from './context.ts';
import { logFailure, withErrorBoundary } from './error-boundary.ts';
import { accepting as acceptingGuard } from './guards/accepting.ts';
import { firstRefusal, type Guard, type GuardContext, type GuardRequest } from './guards/guard.ts';
import { notify } from './reply.ts';

type Routed = ChatInputCommandInteraction | MessageContextMenuCommandInteraction | ButtonInteraction;

/**
 * Routes interactions to commands: every slash command, message command and button first passes `accepting`,
 * then the guards its command declares (admin, guild only, rate limit: `src/bot/guards/`), inside the one error
 * boundary, which turns AppErrors into an ephemeral reply with their message; anything else is logged with
 * context and the member sees a generic apology, never a stack trace.
 */
export function createInteractionRouter(commands: ReadonlyMap<string, AnyCommand>, context: BotContext, accepting: () => boolean) {
  const guardContext: GuardContext = { ...context, accepting };
  return async function route(interaction: Interaction): Promise<void> {
    if (interaction.isAutocomplete()) {
      const command = commands.get(interaction.commandName);
      if (!command || isMessageCommand(command) || !command.autocomplete || firstRefusal(command.guards ?? [], guardRequest(interaction), guardContext) !== undefined) {
        await interaction.respond([]).catch(() => undefined);
        return;
      }
      await command.autocomplete(interaction, context).catch((error) => logFailure(context.logger, `autocomplete /${interaction.commandName}`, error));
      return;
    }
    if (!interaction.isChatInputCommand() && !interaction.isMessageContextMenuCommand() && !interaction.isButton()) return;

    const command = interaction.isButton() ? commands.get(interaction.customId.split(':')[0] ?? '') : commands.get(interaction.commandName);
    const label = interaction.isButton() ? `button ${interaction.customId}` : interaction.isChatInputCommand() ? `/${interaction.commandName}` : `"${interaction.commandName}"`;
    await withErrorBoundary(
      context.logger,
      `${label} by ${interaction.user.id} in ${interaction.guildId ?? 'DM'}`,
      async () => {
        if (!command || !handles(command, interaction)) {
          await notify(interaction, 'This command is no longer available.');
          return;
        }
        const refusal = firstRefusal([acceptingGuard, ...guardsFor(command, interaction)], guardRequest(interaction), guardContext);
        if (refusal !== undefined) {
          await notify(interaction, refusal);
          return;
        }
        if (interaction.isButton()) await command.button!(interaction, context);
        else if (interaction.isMessageContextMenuCommand()) await (command as MessageCommand).execute(interaction, context); // handles()
        else await (command as Command).execute(interaction, context);
      },
      (text) => notify(interaction, text),
    );
  };
}

/** Whether `command` is the kind of command (or has the button handler) the interaction needs. */
function handles(command: AnyCommand, interaction: Routed): boolean {
  if (interaction.isButton()) return command.button !== undefined;
  return isMessageCommand(command) === interaction.isMessageContextMenuCommand();
}

function guardsFor(command: AnyCommand, interaction: Routed): readonly Guard[] {
  if (interaction.isButton()) {
    const declared = command.buttonGuards?.find(({ prefix }) => interaction.customId.startsWith(prefix));
    if (declared) return declared.guards;
  }
  return command.guards ?? [];
}

function guardRequest(interaction: Interaction): GuardRequest {
  return { userId: interaction.user.id, guildId: interaction.guildId, member: interaction };
}
