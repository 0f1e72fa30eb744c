import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isCommand, type AnyCommand } from './command.ts';

/** The `commands/` folder at the project root. */
export const COMMANDS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../commands');

/**
 * Imports every command module of a folder and checks its shape, so a broken command fails at start-up rather
 * than when a member first uses it.
 */
export async function loadCommands(folder = COMMANDS_DIR): Promise<Map<string, AnyCommand>> {
  const commands = new Map<string, AnyCommand>();
  const files = fs.readdirSync(folder).filter((file) => /\.(ts|js|mjs)$/.test(file) && !file.endsWith('.d.ts')).sort();
  for (const file of files) {
    const module = (await import(pathToFileURL(path.join(folder, file)).href)) as { default?: unknown };
    if (!isCommand(module.default)) throw new Error(`${file} does not export a command (default export with data and execute)`);
    const name = module.default.data.name;
    if (commands.has(name)) throw new Error(`${file} redefines the command /${name}`);
    commands.set(name, module.default);
  }
  return commands;
}
