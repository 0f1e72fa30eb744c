import type { AppConfig } from '../config.ts';
import { Engine } from '../engine/engine.ts';
import { configuredEngineDependencies } from '../engine-wiring.ts';
import type { Logger } from '../logger.ts';
import { printableLine } from '../printable-text.ts';
import { parseOptions } from './options.ts';
import type { CliIo } from './output.ts';

/** `docqa stats [--json]`: documents, paragraphs, model and mode of the index. */
export async function statsCommand(config: AppConfig, logger: Logger, io: CliIo, args: readonly string[]): Promise<number> {
  const { values } = parseOptions(args, { json: { type: 'boolean' } });
  const engine = await Engine.open(config.engine, { logger, ...configuredEngineDependencies(config.engine) });
  const stats = engine.stats();
  const documents = engine.listDocuments();
  if (values.json) {
    io.stdout(JSON.stringify({ ...stats, documentList: documents }) + '\n');
    return 0;
  }
  io.stdout(
    [
      `Mode:        ${stats.mode}`,
      `Model:       ${stats.model ?? 'none (keyword only)'}${stats.dimension ? `, ${stats.dimension} dimensions` : ''}`,
      `Documents:   ${stats.documents}`,
      `Paragraphs:  ${stats.paragraphs}`,
      `Indexed at:  ${stats.indexedAt ?? 'never (run: npm run index)'}`,
      ...documents.map((d) => `  - ${printableLine(d.title)} (${d.scope ? `server ${d.scope}: ` : ''}${printableLine(d.path)}, ${d.paragraphs} paragraphs)`),
    ].join('\n') + '\n',
  );
  return 0;
}
