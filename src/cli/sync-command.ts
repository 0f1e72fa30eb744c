import type { AppConfig } from '../config.ts';
import { Engine } from '../engine/engine.ts';
import { configuredEngineDependencies } from '../engine-wiring.ts';
import type { Logger } from '../logger.ts';
import { printableLine } from '../printable-text.ts';
import { summarizeSync } from '../sources/sync-source.ts';
import { parseOptions } from './options.ts';
import { formatIndexSummary, progressPrinter, type CliIo } from './output.ts';

/** `docqa sync [--source ID]`: re-syncs every source (or one) and indexes what changed. Exit 1 if a source failed. */
export async function syncCommand(config: AppConfig, logger: Logger, io: CliIo, args: readonly string[]): Promise<number> {
  const { values } = parseOptions(args, { source: { type: 'string' } });
  const engine = await Engine.open(config.engine, { logger, ...configuredEngineDependencies(config.engine) });
  const { sources, report } = await engine.syncSources(values.source === undefined ? {} : { id: values.source }, io.isTerminal ? progressPrinter(io) : undefined);
  io.stdout(
    [
      ...sources.flatMap((sync) => [`${sync.id}: ${summarizeSync(sync)}`, ...(sync.lastError ? [`  last error: ${printableLine(sync.lastError)}`] : [])]),
      ...(sources.length === 0 ? ['No sources yet: add one with docqa add-source <url>.'] : []),
      formatIndexSummary(report, engine),
    ].join('\n') + '\n',
  );
  return sources.some((sync) => sync.lastError !== null) ? 1 : 0;
}
