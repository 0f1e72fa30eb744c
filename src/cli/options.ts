import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createError, describeError } from '../errors.ts';

/** parseArgs with usage errors turned into BAD_USAGE (exit code 2). */
export function parseOptions<const T extends NonNullable<ParseArgsConfig['options']>>(args: readonly string[], options: T, positionals = false) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: positionals, strict: true as const });
  } catch (error) {
    throw createError('BAD_USAGE', `${describeError(error)}. Run "docqa --help" for usage.`);
  }
}
