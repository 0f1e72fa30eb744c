import { readSquad } from './squad.ts';

/** The parts of an XQuAD (SQuAD-format) file the bench uses: English paragraphs and the questions about them. */
export interface XquadCorpus {
  /** `data[].paragraphs[].context`, as they are (not re-split). */
  readonly paragraphs: readonly string[];
  /** `data[].paragraphs[].qas[].question`, in file order. */
  readonly questions: readonly string[];
}

/** Where `shared/` sits beside a checkout (CI lays it out the same way). */
export const DEFAULT_XQUAD_FILE = '../shared/evaldata/xquad/xquad.en.json';

/** Reads the file with eval's validating SQuAD reader, keeping only the texts. */
export function readXquad(file: string): XquadCorpus {
  const dataset = readSquad(file);
  return {
    paragraphs: dataset.paragraphs.map((paragraph) => paragraph.text),
    questions: dataset.questions.map((question) => question.question),
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
