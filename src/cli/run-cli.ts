import { loadConfig, type AppConfig } from '../config.ts';
import { createError, describeError, isAppError } from '../errors.ts';
import { createLogger } from '../logger.ts';
import { printable } from '../printable-text.ts';
import { processIo, type CliIo, type SubcommandRun } from './output.ts';

/** A `docqa <name>` subcommand as the dispatcher sees it: its help lines, and its code, loaded when it runs. */
export interface Subcommand {
  readonly name: string;
  /** Its lines under "Commands:" in `docqa --help`, indented as they print. */
  readonly usage: string;
  /** Loaded on use, so that one command's modules (ONNX builder, bench data sets) never load for another. */
  readonly load: () => Promise<SubcommandRun>;
}

function usage(subcommands: readonly Subcommand[]): string {
  return [
    'Usage: docqa <command> [options]',
    '',
    'Commands:',
    ...subcommands.map((subcommand) => subcommand.usage),
    '',
    'Settings come from the environment and .env (see .env.example).',
  ].join('\n');
}

/**
 * Runs one CLI command out of `subcommands` and returns its exit code: 0 ok, 1 failure, 2 bad usage. Never throws.
 * The caller picks the subcommands (src/docqa.ts: the user commands and the dev tools), so this room imports no tool.
 */
export async function runCli(argv: readonly string[], subcommands: readonly Subcommand[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  let config: AppConfig | undefined;
  try {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      io.stdout(usage(subcommands) + '\n');
      return command === undefined ? 2 : 0;
    }
    config = loadConfig();
    // Log lines name documents (skipped files, rebuild reasons): no control character of theirs reaches a terminal.
    const logger = createLogger({ level: config.logLevel, write: (line) => io.stderr(printable(line) + '\n') });
    const subcommand = subcommands.find((candidate) => candidate.name === command);
    if (!subcommand) throw createError('BAD_USAGE', `Unknown command "${command}". Run "docqa --help" for the list.`);
    const run = await subcommand.load();
    return await run(config, logger, io, rest);
  } catch (error) {
    io.stderr(`Error: ${describeError(error)}\n`);
    if (!isAppError(error) && config?.debug) io.stderr(`${(error as Error).stack}\n`);
    return isAppError(error, 'BAD_USAGE') ? 2 : 1;
  }
}
