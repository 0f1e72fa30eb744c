import type { AppConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import { printableLine } from '../printable-text.ts';
import { Sources } from '../sources/sources.ts';
import { parseOptions } from './options.ts';
import type { CliIo } from './output.ts';

/** `docqa sources [--json]`: every source with its knowledge base, page count, last sync and last error. */
export async function sourcesCommand(config: AppConfig, _logger: Logger, io: CliIo, args: readonly string[]): Promise<number> {
  const { values } = parseOptions(args, { json: { type: 'boolean' } });
  // Reading the registry needs neither the model nor the index.
  const sources = new Sources(config.engine.dataDir, config.engine.sources).list();
  if (values.json) {
    io.stdout(JSON.stringify(sources) + '\n');
    return 0;
  }
  if (sources.length === 0) {
    io.stdout('No sources yet: add one with docqa add-source <url>.\n');
    return 0;
  }
  io.stdout(
    sources
      .map((source) =>
        [
          `${source.id}  ${source.kind}  ${source.server === '' ? 'shared' : `server ${source.server}`}  ${printableLine(source.url)}`,
          `  ${source.pageCount} pages, last sync ${source.lastSync ?? 'never'}${source.lastError ? `, last error: ${printableLine(source.lastError)}` : ''}`,
        ].join('\n'),
      )
      .join('\n') + '\n',
  );
  return 0;
}
