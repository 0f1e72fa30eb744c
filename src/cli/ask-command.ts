import type { AppConfig } from '../config.ts';
import { Engine } from '../engine/engine.ts';
import type { Answer, PassageView } from '../engine/types.ts';
import { configuredEngineDependencies } from '../engine-wiring.ts';
import { createError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { printable, printableLine } from '../printable-text.ts';
import { parseOptions } from './options.ts';
import { formatIndexSummary, progressPrinter, type CliIo } from './output.ts';

/** `docqa ask "<question>" [--k N] [--json] [--server ID]`: prints the passages that answer the question. */
export async function askCommand(config: AppConfig, logger: Logger, io: CliIo, args: readonly string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, { k: { type: 'string' }, json: { type: 'boolean' }, server: { type: 'string' } }, true);
  if (positionals.length !== 1) throw createError('BAD_USAGE', 'ask takes one question in quotes: docqa ask "How do I reset my password?"');
  const k = values.k === undefined ? undefined : Number(values.k);
  if (k !== undefined && (!Number.isInteger(k) || k < 1 || k > 20)) throw createError('BAD_USAGE', '--k must be a whole number from 1 to 20');
  const engine = await Engine.open(config.engine, { logger, ...configuredEngineDependencies(config.engine) });
  const built = await engine.ensureIndex(io.isTerminal ? progressPrinter(io) : undefined);
  if (built) logger.info(formatIndexSummary(built, engine));
  const answer = await engine.ask(positionals[0]!, { k, server: values.server });
  io.stdout((values.json ? JSON.stringify(toJson(answer)) : formatAnswer(answer, io.stdoutIsTerminal ?? false)) + '\n');
  return 0;
}

/** The exact JSON shape promised by `ask --json`. */
function toJson(answer: Answer) {
  return {
    question: answer.question,
    mode: answer.mode,
    answered: answer.answered,
    passages: answer.passages.map(({ document, title, section, paragraphNumber, score, text, start, end, highlights }) => ({
      document, title, section, paragraph: paragraphNumber, score, text, start, end, highlights: highlights.map(({ start, end }) => ({ start, end })),
    })),
  };
}

/**
 * The answer as text; everything from documents passes through printable() (issue 15.9). The highlighted
 * sentences are in bold on a terminal, between `**` markers otherwise (a pipe or a file).
 */
function formatAnswer(answer: Answer, bold: boolean): string {
  const header = `Question: ${printableLine(answer.question)}  [mode: ${answer.mode}]`;
  if (!answer.answered) {
    const closest = answer.closest ? ` The closest text is in "${printableLine(answer.closest.title)}" (${printableLine(answer.closest.document)}).` : '';
    return `${header}\n\nNo confident match in the documents.${closest}`;
  }
  const blocks = answer.passages.map((passage, i) => {
    const where = [passage.title, passage.section, `¶${passage.paragraphNumber}`].filter(Boolean).map(printableLine).join(' › ');
    return `[${i + 1}] ${where}  (score ${passage.score.toFixed(3)})\n    ${printableLine(passage.document)}\n\n${indent(highlighted(passage, bold))}`;
  });
  return [header, ...blocks].join('\n\n');
}

function highlighted({ text, highlights }: PassageView, bold: boolean): string {
  const [open, close] = bold ? ['\x1b[1m', '\x1b[22m'] : ['**', '**'];
  const first = highlights[0];
  if (first === undefined) return printable(text);
  const end = highlights.at(-1)!.end;
  // Marked line by line, so that the indent of each line stays outside the markers.
  const marked = printable(text.slice(first.start, end)).split('\n').map((line) => (line.trim() === '' ? line : `${open}${line}${close}`)).join('\n');
  return printable(text.slice(0, first.start)) + marked + printable(text.slice(end));
}

function indent(text: string): string {
  return text.split('\n').map((line) => `    ${line}`).join('\n');
}
