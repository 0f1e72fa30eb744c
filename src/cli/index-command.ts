import type { AppConfig } from '../config.ts';
import { Engine } from '../engine/engine.ts';
import { configuredEngineDependencies } from '../engine-wiring.ts';
import type { Logger } from '../logger.ts';
import { parseOptions } from './options.ts';
import { formatIndexSummary, progressPrinter, type CliIo } from './output.ts';

/** `docqa index`: builds or updates the index of index-data/docs/. */
export async function indexCommand(config: AppConfig, logger: Logger, io: CliIo, args: readonly string[]): Promise<number> {
  parseOptions(args, {});
  const engine = await Engine.open(config.engine, { logger, ...configuredEngineDependencies(config.engine) });
  const report = await engine.reindex(io.isTerminal ? progressPrinter(io) : undefined);
  io.stdout(formatIndexSummary(report, engine) + '\n');
  return 0;
}
