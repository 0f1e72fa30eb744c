import type { AppConfig } from '../config.ts';
import { Engine } from '../engine/engine.ts';
import { configuredEngineDependencies } from '../engine-wiring.ts';
import { createError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { printableLine } from '../printable-text.ts';
import type { SourceKind } from '../sources/source-record.ts';
import { summarizeSync } from '../sources/sync-source.ts';
import { parseOptions } from './options.ts';
import { formatIndexSummary, progressPrinter, type CliIo } from './output.ts';

const KINDS: readonly SourceKind[] = ['page', 'site', 'git'];

/** `docqa add-source <url> [--server ID] [--kind page|site|git]`: adds a source, fetches it and indexes its pages. */
export async function addSourceCommand(config: AppConfig, logger: Logger, io: CliIo, args: readonly string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, { server: { type: 'string' }, kind: { type: 'string' } }, true);
  if (positionals.length !== 1) throw createError('BAD_USAGE', 'add-source takes one URL: docqa add-source https://docs.example.com/');
  const server = values.server ?? '';
  if (server !== '' && !/^\d{1,25}$/.test(server)) throw createError('BAD_USAGE', '--server must be a Discord server id (digits)');
  const kind = values.kind as SourceKind | undefined;
  if (kind !== undefined && !KINDS.includes(kind)) throw createError('BAD_USAGE', `--kind must be one of ${KINDS.join(', ')}`);
  const engine = await Engine.open(config.engine, { logger, ...configuredEngineDependencies(config.engine) });
  const { source, sync, report } = await engine.addSource(server, positionals[0]!, kind, io.isTerminal ? progressPrinter(io) : undefined);
  io.stdout(
    [
      `Added source ${source.id} (${source.kind}, ${server === '' ? 'shared' : `server ${server}`}): ${printableLine(source.url)}`,
      `  ${summarizeSync(sync)}`,
      ...(sync.lastError ? [`  last error: ${printableLine(sync.lastError)}`] : []),
      formatIndexSummary(report, engine),
    ].join('\n') + '\n',
  );
  return 0;
}
