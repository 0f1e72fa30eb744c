import type { AppConfig } from '../config.ts';
import type { ReindexProgress, ReindexReport } from '../engine/types.ts';
import type { Engine } from '../engine/engine.ts';
import type { Logger } from '../logger.ts';

/** Output streams and exit code, injectable so tests can run the CLI in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTerminal: boolean;
  /** Whether stdout is a terminal (answers then show highlights in bold); absent: not. */
  readonly stdoutIsTerminal?: boolean;
}

/** One `docqa <name>` subcommand: returns its exit code (0 ok, 1 failure, 2 bad usage) or throws an AppError. */
export type SubcommandRun = (config: AppConfig, logger: Logger, io: CliIo, args: readonly string[]) => Promise<number>;

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTerminal: Boolean(process.stderr.isTTY),
  stdoutIsTerminal: Boolean(process.stdout.isTTY),
};

/** The closing line of `docqa index` (and of the build `docqa ask` may start). */
export function formatIndexSummary(report: ReindexReport, engine: Engine): string {
  const stats = engine.stats();
  return (
    `Indexed ${stats.documents} documents, ${report.paragraphs} paragraphs (${report.rebuilt ? 'full build' : 'incremental'}, mode ${stats.mode}): ` +
    `${report.added} added, ${report.changed} changed, ${report.removed} removed, ${report.unchanged} unchanged; ` +
    `${report.embedded} paragraphs embedded in ${report.seconds.toFixed(2)} s` +
    (report.skipped.length > 0 ? `; ${report.skipped.length} files skipped (see warnings)` : '')
  );
}

/** One self-overwriting status line on a terminal. */
export function progressPrinter(io: CliIo): (progress: ReindexProgress) => void {
  return (progress) => {
    const rate = progress.embeddingsPerSecond > 0 ? ` · ${progress.embeddingsPerSecond.toFixed(0)} embeddings/s` : '';
    if (progress.phase === 'fetching') return io.stderr(`\r\x1b[2Kfetching: ${progress.documents} pages`);
    const line = `${progress.phase}: ${progress.documents} documents · ${progress.paragraphs} paragraphs · embedded ${progress.embedded}/${progress.toEmbed}${rate}`;
    io.stderr(`\r\x1b[2K${line}${progress.phase === 'done' ? '\n' : ''}`);
  };
}
