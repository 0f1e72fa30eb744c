import {
  ApplicationCommandType,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type MessageContextMenuCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import type { BotContext } from './context.ts';
import type { Guard } from './guards/guard.ts';

/** What every command declares besides its definition and `execute`: guards, and the buttons it owns. */
interface CommandHandlers {
  /**
   * Named guards the command declares (`src/bot/guards/`), run in order before `execute` and `autocomplete` (a
   * refused autocomplete gets no choices). Admin commands declare `admin` and are also hidden by default member
   * permissions in `data`.
   */
  readonly guards?: readonly Guard[];
  /**
   * Guards of the command's buttons, by custom-id prefix (the first prefix that matches); a button that matches
   * none is guarded by {@link guards}.
   */
  readonly buttonGuards?: readonly { readonly prefix: string; readonly guards: readonly Guard[] }[];
  /** Buttons whose custom id starts with `<command name>:`. */
  button?(interaction: ButtonInteraction, context: BotContext): Promise<void>;
}

/**
 * A slash command: its definition (sent to Discord by deploy-commands) and its handlers. One file per command in
 * `commands/`; `execute` parses options, calls the engine, formats the reply, nothing more.
 */
export interface Command extends CommandHandlers {
  readonly data: { readonly name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, context: BotContext): Promise<void>;
}

/**
 * A message context-menu command (right-click a message → Apps → its name), type 3: `execute` gets the target
 * message. Its name may hold capitals and spaces; its buttons' custom ids start with that name and a colon.
 *
 * @see https://discord.com/developers/docs/interactions/application-commands#message-commands
 */
export interface MessageCommand extends CommandHandlers {
  readonly data: { readonly name: string; toJSON(): RESTPostAPIContextMenuApplicationCommandsJSONBody };
  execute(interaction: MessageContextMenuCommandInteraction, context: BotContext): Promise<void>;
}

/** Any command the loader accepts. */
export type AnyCommand = Command | MessageCommand;

/** Type guard for modules loaded from `commands/`. */
export function isCommand(value: unknown): value is AnyCommand {
  const candidate = value as Partial<Command> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.execute === 'function' &&
    typeof candidate.data?.name === 'string' &&
    typeof candidate.data?.toJSON === 'function'
  );
}

/** Whether a loaded command is a message context-menu command (its definition says type 3). */
export function isMessageCommand(command: AnyCommand): command is MessageCommand {
  return command.data.toJSON().type === ApplicationCommandType.Message;
}
