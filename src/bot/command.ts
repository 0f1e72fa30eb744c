import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { BotContext } from './context.ts';

/**
 * A slash command: its definition (sent to Discord by deploy-commands) and its handlers. One file per command in
 * `commands/`; `execute` parses options, calls the engine, formats the reply, nothing more.
 */
export interface Command {
  readonly data: { readonly name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  /** Admin-only: hidden by default member permissions AND re-checked when run. */
  readonly admin?: boolean;
  /** Answers questions (counts against the per-member rate limit). */
  readonly rateLimited?: boolean;
  /** Custom-id prefixes of buttons that run a search too ("More"): they count against the same limit. */
  readonly rateLimitedButtons?: readonly string[];
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
