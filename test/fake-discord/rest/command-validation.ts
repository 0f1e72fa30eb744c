import type { FormError } from './message-limits.ts';

/** Discord's rule for command and option names (chat input commands must also be lowercase). */
const NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
/** User and message (context-menu) command names: mixed case and spaces allowed, not blank. */
const CONTEXT_MENU_NAME = /^(?=.*\S).{1,32}$/su;
const CHAT_INPUT = 1;
const USER = 2;
const MESSAGE = 3;
const SUBCOMMAND = 1;
const SUBCOMMAND_GROUP = 2;

/**
 * The problems Discord would report for a bulk overwrite of commands: names, descriptions, option counts and order,
 * choices, duplicates. Enough to catch a definition Discord refuses with 400 Invalid Form Body.
 *
 * @see https://discord.com/developers/docs/interactions/application-commands#bulk-overwrite-global-application-commands
 */
export function commandErrors(commands: unknown): FormError[] {
  if (!Array.isArray(commands)) return [{ path: '_', code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }];
  const errors = commands.flatMap((command, index) => {
    const type = command?.type ?? CHAT_INPUT;
    if (type === USER || type === MESSAGE) return contextMenuErrors(command, String(index));
    if (type !== CHAT_INPUT) return [{ path: `${index}.type`, code: 'BASE_TYPE_CHOICES', message: `Value must be one of {${CHAT_INPUT}, ${USER}, ${MESSAGE}, 4}.` }];
    return definitionErrors(command, String(index), true);
  });
  const seen = new Set<string>();
  commands.forEach((command, index) => {
    const key = `${command?.type ?? CHAT_INPUT}/${command?.name}`;
    if (seen.has(key)) errors.push({ path: `${index}.name`, code: 'APPLICATION_COMMANDS_DUPLICATE_NAME', message: `Application command names must be unique` });
    seen.add(key);
  });
  return errors;
}

/**
 * A user or message command (right-click menu): a name of 1–32 characters that may have capitals and spaces, an
 * empty description, and no options.
 *
 * @see https://discord.com/developers/docs/interactions/application-commands#user-commands
 */
function contextMenuErrors(definition: any, at: string): FormError[] {
  const errors: FormError[] = [];
  if (typeof definition?.name !== 'string' || !CONTEXT_MENU_NAME.test(definition.name)) {
    errors.push({ path: `${at}.name`, code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' });
  }
  if ((definition?.description ?? '') !== '') {
    errors.push({ path: `${at}.description`, code: 'APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION', message: 'Context menu commands cannot have description' });
  }
  if (Array.isArray(definition?.options) && definition.options.length > 0) {
    errors.push({ path: `${at}.options`, code: 'APPLICATION_COMMAND_CONTEXT_MENU_OPTIONS', message: 'Context menu commands cannot have options' });
  }
  return errors;
}

/** A command or option: named, described (chat input only), with at most 25 options, required ones first. */
function definitionErrors(definition: any, at: string, chatInput: boolean): FormError[] {
  const errors: FormError[] = [];
  const name = definition?.name;
  if (typeof name !== 'string' || !NAME.test(name) || (chatInput && name !== name.toLowerCase())) {
    errors.push({ path: `${at}.name`, code: 'APPLICATION_COMMAND_INVALID_NAME', message: `Command name is invalid` });
  }
  const description = definition?.description ?? '';
  if (chatInput && (typeof description !== 'string' || description.length < 1 || description.length > 100)) {
    errors.push({ path: `${at}.description`, code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' });
  }
  const options: any[] = Array.isArray(definition?.options) ? definition.options : [];
  if (options.length > 25) errors.push({ path: `${at}.options`, code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
  const firstOptional = options.findIndex((option) => option?.required !== true);
  options.forEach((option, index) => {
    const path = `${at}.options.${index}`;
    const isGroup = option?.type === SUBCOMMAND || option?.type === SUBCOMMAND_GROUP;
    if (!isGroup && option?.required === true && firstOptional >= 0 && index > firstOptional) {
      errors.push({ path, code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', message: 'Required options must be placed before non-required options' });
    }
    if (Array.isArray(option?.choices) && option.choices.length > 25) {
      errors.push({ path: `${path}.choices`, code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
    }
    if (option?.autocomplete === true && Array.isArray(option?.choices) && option.choices.length > 0) {
      errors.push({ path: `${path}.autocomplete`, code: 'APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_AND_CHOICES', message: 'Autocomplete cannot be set with choices' });
    }
    errors.push(...definitionErrors(option, path, true));
  });
  return errors;
}
