import fs from 'node:fs';
import { createError } from '../errors.ts';

/** The parts of an XQuAD (SQuAD-format) file the bench uses: English paragraphs and the questions about them. */
export interface XquadCorpus {
  /** `data[].paragraphs[].context`, as they are (not re-split). */
  readonly paragraphs: readonly string[];
  /** `data[].paragraphs[].qas[].question`, in file order. */
  readonly questions: readonly string[];
}

interface SquadFile {
  data: { paragraphs: { context: string; qas: { question: string }[] }[] }[];
}

/** Where `shared/` sits beside a checkout (CI lays it out the same way). */
export const DEFAULT_XQUAD_FILE = '../shared/evaldata/xquad/xquad.en.json';

export function readXquad(file: string): XquadCorpus {
  let parsed: SquadFile;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as SquadFile;
  } catch (error) {
    throw createError('BAD_USAGE', `Cannot read the XQuAD file ${file} (give another with --xquad PATH)`, error);
  }
  const paragraphs = parsed.data.flatMap((article) => article.paragraphs);
  return {
    paragraphs: paragraphs.map((paragraph) => paragraph.context),
    questions: paragraphs.flatMap((paragraph) => paragraph.qas.map((qa) => qa.question)),
  };
}

/**
 * Sentences of English prose: cut after . ! or ? followed by space and an upper-case letter, digit or quote. Crude
 * (it cuts after "Mr. Smith"), which is fine here: the pieces only need to be distinct texts.
 */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?]["”’)]?)\s+(?=[A-Z0-9"“‘(])/u)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0);
}
