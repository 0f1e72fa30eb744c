import { runCli } from './cli/run-cli.ts';
import { processIo, type CliIo } from './cli/output.ts';
import { USER_COMMANDS } from './cli/user-commands.ts';
import { TOOL_COMMANDS } from './tools/tool-commands.ts';

/**
 * The `docqa` command as installed: the user commands and the dev tools. It lives here, above both rooms, so that
 * src/cli/ never imports src/tools/ (the tools import the CLI's option parsing and output).
 */
export function runDocqa(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  return runCli(argv, [...USER_COMMANDS, ...TOOL_COMMANDS], io);
}
