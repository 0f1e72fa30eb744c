import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig, type AppConfig } from './config.ts';
import { embedderOptionsFrom } from './configured-embedder.ts';
import { loadTransformersEmbedder } from './embed/transformers-embedder.ts';
import type { ReindexProgress, ReindexReport } from './engine/types.ts';
import { Engine, type Answer } from './engine/engine.ts';
import { configuredEngineDependencies } from './engine-wiring.ts';
import { createError, describeError, isAppError } from './errors.ts';
import { createLogger, type Logger } from './logger.ts';
import { printable, printableLine } from './printable-text.ts';

const USAGE = `Usage: docqa <command> [options]

Commands:
  index                      Build or update the index of index-data/docs/
  ask "<question>"           Print the passages that answer the question
      --k N                  How many passages (default: TOP_K, 3)
      --json                 Print {"question","mode","answered","passages":[...]} as JSON
      --server ID            Also search the documents a Discord server added
  stats [--json]             Documents, paragraphs, model and mode of the index
  download-model             Download EMBEDDING_MODEL into MODELS_DIR ahead of time (for offline hosts)
  import-model <folder> [--id NAME]
                             Convert a sentence-transformers BERT checkpoint (model.safetensors) into MODELS_DIR/NAME
  bench [--quick] [--only model|hnsw|e2e] [--sizes 10000,100000] [--json]  Measure speed, recall and memory
  eval <squad.json> [--paragraphs FILE] [--mode keyword|dense|hybrid] [--limit N] [--holdout F] [--sweep] [--json]
                             [--embedding-cache DIR] [--dense-weight W] [--dense-weight-cjk W] [--fusion convex|rrf] [--candidates N]
                             Measure answer quality (Recall@k, MRR, nDCG, abstention) on a SQuAD-format file

Settings come from the environment and .env (see .env.example).`;

/** Output streams and exit code, injectable so tests can run the CLI in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTerminal: boolean;
}

const defaultIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTerminal: Boolean(process.stderr.isTTY),
};

/** Runs one CLI command and returns its exit code: 0 ok, 1 failure, 2 bad usage. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      io.stdout(USAGE + '\n');
      return command === undefined ? 2 : 0;
    }
    const config = loadConfig();
    // Log lines name documents (skipped files, rebuild reasons): no control character of theirs reaches a terminal.
    const logger = createLogger({ level: config.logLevel, write: (line) => io.stderr(printable(line) + '\n') });
    switch (command) {
      case 'index':
        return await indexCommand(config, logger, io, rest);
      case 'ask':
        return await askCommand(config, logger, io, rest);
      case 'stats':
        return await statsCommand(config, logger, io, rest);
      case 'download-model':
        return await downloadModelCommand(config, logger, io, rest);
      case 'import-model': {
        // Lazy: the ONNX graph builder and protobuf encoder are only needed for this one-off conversion.
        const { importModelCommand } = await import('./embed/import-model-command.ts');
        return await importModelCommand(config, logger, io, rest);
      }
      case 'bench': {
        // Lazy: the bench pulls in generators and data sets that the everyday commands never need.
        const { benchCommand } = await import('./bench/bench-command.ts');
        return await benchCommand(config, logger, io, rest);
      }
      case 'eval': {
        // Lazy, like bench: only evaluation runs need the SQuAD reader and metrics.
        const { evalCommand } = await import('./eval/eval-command.ts');
        return await evalCommand(config, logger, io, rest);
      }
      default:
        throw createError('BAD_USAGE', `Unknown command "${command}". Run "docqa --help" for the list.`);
    }
  } catch (error) {
    io.stderr(`Error: ${describeError(error)}\n`);
    if (!isAppError(error) && process.env.DEBUG) io.stderr(`${(error as Error).stack}\n`);
    return isAppError(error, 'BAD_USAGE') ? 2 : 1;
  }
}

/** parseArgs with usage errors turned into BAD_USAGE (exit code 2). */
export function parseOptions<const T extends NonNullable<ParseArgsConfig['options']>>(args: readonly string[], options: T, positionals = false) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: positionals, strict: true as const });
  } catch (error) {
    throw createError('BAD_USAGE', `${describeError(error)}. Run "docqa --help" for usage.`);
  }
}

async function indexCommand(config: AppConfig, logger: Logger, io: CliIo, args: readonly string[]): Promise<number> {
  parseOptions(args, {});
  const engine = await Engine.open(config.engine, { logger, ...configuredEngineDependencies(config.engine) });
  const report = await engine.reindex(io.isTerminal ? progressPrinter(io) : undefined);
  io.stdout(formatReport(report, engine) + '\n');
  return 0;
}

async function askCommand(config: AppConfig, logger: Logger, io: CliIo, args: readonly string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, { k: { type: 'string' }, json: { type: 'boolean' }, server: { type: 'string' } }, true);
  if (positionals.length !== 1) throw createError('BAD_USAGE', 'ask takes one question in quotes: docqa ask "How do I reset my password?"');
  const k = values.k === undefined ? undefined : Number(values.k);
  if (k !== undefined && (!Number.isInteger(k) || k < 1 || k > 20)) throw createError('BAD_USAGE', '--k must be a whole number from 1 to 20');
  const engine = await Engine.open(config.engine, { logger, ...configuredEngineDependencies(config.engine) });
  const built = await engine.ensureIndex(io.isTerminal ? progressPrinter(io) : undefined);
  if (built) logger.info(formatReport(built, engine));
  const answer = await engine.ask(positionals[0]!, { k, server: values.server });
  io.stdout((values.json ? JSON.stringify(toJson(answer)) : formatAnswer(answer)) + '\n');
  return 0;
}

async function statsCommand(config: AppConfig, logger: Logger, io: CliIo, args: readonly string[]): Promise<number> {
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

async function downloadModelCommand(config: AppConfig, logger: Logger, io: CliIo, args: readonly string[]): Promise<number> {
  parseOptions(args, {});
  const { engine } = config;
  logger.info(`Fetching ${engine.embeddingModel} into ${engine.modelsDir}`);
  const embedder = await loadTransformersEmbedder(embedderOptionsFrom(engine, { allowDownload: true }));
  io.stdout(`Model ready: ${embedder.modelId}, ${embedder.dimension} dimensions, in ${engine.modelsDir}\n`);
  return 0;
}

/** The exact JSON shape promised by `ask --json`. */
function toJson(answer: Answer) {
  return {
    question: answer.question,
    mode: answer.mode,
    answered: answer.answered,
    passages: answer.passages.map(({ document, title, section, paragraph, score, text }) => ({ document, title, section, paragraph, score, text })),
  };
}

/** The answer for a terminal; everything from documents passes through printable() (issue 15.9). */
function formatAnswer(answer: Answer): string {
  const header = `Question: ${printableLine(answer.question)}  [mode: ${answer.mode}]`;
  if (!answer.answered) {
    const closest = answer.closest ? ` The closest text is in "${printableLine(answer.closest.title)}" (${printableLine(answer.closest.document)}).` : '';
    return `${header}\n\nNo confident match in the documents.${closest}`;
  }
  const blocks = answer.passages.map((passage, i) => {
    const where = [passage.title, passage.section, `¶${passage.paragraph}`].filter(Boolean).map(printableLine).join(' › ');
    return `[${i + 1}] ${where}  (score ${passage.score.toFixed(3)})\n    ${printableLine(passage.document)}\n\n${indent(printable(passage.text))}`;
  });
  return [header, ...blocks].join('\n\n');
}

function indent(text: string): string {
  return text.split('\n').map((line) => `    ${line}`).join('\n');
}

function formatReport(report: ReindexReport, engine: Engine): string {
  const stats = engine.stats();
  return (
    `Indexed ${stats.documents} documents, ${report.paragraphs} paragraphs (${report.rebuilt ? 'full build' : 'incremental'}, mode ${stats.mode}): ` +
    `${report.added} added, ${report.changed} changed, ${report.removed} removed, ${report.unchanged} unchanged; ` +
    `${report.embedded} paragraphs embedded in ${report.seconds.toFixed(2)} s` +
    (report.skipped.length > 0 ? `; ${report.skipped.length} files skipped (see warnings)` : '')
  );
}

/** One self-overwriting status line on a terminal. */
function progressPrinter(io: CliIo): (progress: ReindexProgress) => void {
  return (progress) => {
    const rate = progress.embeddingsPerSecond > 0 ? ` · ${progress.embeddingsPerSecond.toFixed(0)} embeddings/s` : '';
    const line = `${progress.phase}: ${progress.documents} documents · ${progress.paragraphs} paragraphs · embedded ${progress.embedded}/${progress.toEmbed}${rate}`;
    io.stderr(`\r\x1b[2K${line}${progress.phase === 'done' ? '\n' : ''}`);
  };
}
