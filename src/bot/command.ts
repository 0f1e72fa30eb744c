import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { BotContext } from './context.ts';
import type { Guard } from './guards/guard.ts';

/**
 * A slash command: its definition (sent to Discord by deploy-commands) and its handlers. One file per command in
 * `commands/`; `execute` parses options, calls the engine, formats the reply, nothing more.
 */
export interface Command {
  readonly data: { readonly name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
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
  execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, context: BotContext): Promise<void>;
  /** Buttons whose custom id starts with `<command name>:`. */
  button?(interaction: ButtonInteraction, context: BotContext): Promise<void>;
}

/** Type guard for modules loaded from `commands/`. */
export function isCommand(value: unknown): value is Command {
  const candidate = value as Partial<Command> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.execute === 'function' &&
    typeof candidate.data?.name === 'string' &&
    typeof candidate.data?.toJSON === 'function'
  );
}
