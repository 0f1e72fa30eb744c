import type { AppConfig } from '../config.ts';
import { Engine } from '../engine/engine.ts';
import { configuredEngineDependencies } from '../engine-wiring.ts';
import { createError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { parseOptions } from './options.ts';
import { formatIndexSummary, type CliIo } from './output.ts';

/** `docqa remove-source ID`: deletes a source's pages and drops them from the index. */
export async function removeSourceCommand(config: AppConfig, logger: Logger, io: CliIo, args: readonly string[]): Promise<number> {
  const { positionals } = parseOptions(args, {}, true);
  if (positionals.length !== 1) throw createError('BAD_USAGE', 'remove-source takes one source id (see docqa sources)');
  const engine = await Engine.open(config.engine, { logger, ...configuredEngineDependencies(config.engine) });
  const report = await engine.removeSource(positionals[0]!);
  io.stdout(`Removed source ${positionals[0]}.\n${formatIndexSummary(report, engine)}\n`);
  return 0;
}
