import fs from 'node:fs';
import path from 'node:path';
import { createError } from '../../errors.ts';

/** One SQuAD paragraph (`data[].paragraphs[].context`), numbered in file order from 0. */
export interface EvalParagraph {
  readonly id: number;
  /** Index of its article in `data`, from 0. */
  readonly article: number;
  readonly articleTitle: string;
  readonly text: string;
}

/** One SQuAD question (`qas[]`) and the id of the paragraph that answers it. */
export interface EvalQuestion {
  readonly id: string;
  readonly question: string;
  readonly paragraph: number;
  /** The gold answers (`answers[]`): text and offset into the paragraph; empty when the file gives none. */
  readonly answers: readonly GoldAnswer[];
}

/** One SQuAD answer: `answers[].text` at `answers[].answer_start`. */
export interface GoldAnswer {
  readonly text: string;
  readonly start: number;
}

/** A question-answering test set: paragraphs to index and questions, each answered by exactly one paragraph. */
export interface EvalDataset {
  readonly paragraphs: readonly EvalParagraph[];
  readonly questions: readonly EvalQuestion[];
}

/**
 * Reads a SQuAD-format file (SQuAD v1.1, XQuAD). With `paragraphsFile`, the questions come from `file` and the
 * paragraph texts from `paragraphsFile`, a parallel file with the same articles and paragraphs in the same order
 * (e.g. Chinese questions against English paragraphs); any difference in the counts is an error.
 *
 * Every problem is a one-line BAD_USAGE error naming the file: the file is what the user passed on the command
 * line, and a wrong one is a wrong argument.
 */
export function readSquad(file: string, options: { paragraphsFile?: string } = {}): EvalDataset {
  const dataset = parseSquad(readJson(file), file);
  if (options.paragraphsFile === undefined) return dataset;
  const texts = parseSquad(readJson(options.paragraphsFile), options.paragraphsFile);
  return withParallelParagraphs(dataset, texts, file, options.paragraphsFile);
}

/**
 * Checks and flattens parsed SQuAD JSON. `file` only names the source in error messages.
 *
 * @see https://rajpurkar.github.io/SQuAD-explorer/ for the format
 */
export function parseSquad(json: unknown, file: string): EvalDataset {
  const name = path.basename(file);
  const fail = (where: string, expected: string) =>
    createError('BAD_USAGE', `${name} is not a SQuAD file: ${where} should be ${expected}`);

  const data = isRecord(json) ? json.data : undefined;
  if (!Array.isArray(data)) throw fail('the top level', 'an object with a "data" array');
  const paragraphs: EvalParagraph[] = [];
  const questions: EvalQuestion[] = [];
  data.forEach((article: unknown, a) => {
    if (!isRecord(article) || !Array.isArray(article.paragraphs)) throw fail(`data[${a}]`, 'an object with a "paragraphs" array');
    const articleTitle = typeof article.title === 'string' ? article.title : `article ${a + 1}`;
    article.paragraphs.forEach((paragraph: unknown, p) => {
      const where = `data[${a}].paragraphs[${p}]`;
      if (!isRecord(paragraph) || typeof paragraph.context !== 'string') throw fail(where, 'an object with a "context" string');
      if (!Array.isArray(paragraph.qas)) throw fail(`${where}.qas`, 'an array');
      const id = paragraphs.length;
      paragraphs.push({ id, article: a, articleTitle, text: paragraph.context });
      paragraph.qas.forEach((qa: unknown, q) => {
        if (!isRecord(qa) || typeof qa.id !== 'string' || typeof qa.question !== 'string') {
          throw fail(`${where}.qas[${q}]`, 'an object with "id" and "question" strings');
        }
        questions.push({ id: qa.id, question: qa.question, paragraph: id, answers: goldAnswers(qa.answers) });
      });
    });
  });
  if (paragraphs.length === 0) throw fail('"data"', 'a list of articles with at least one paragraph');
  return { paragraphs, questions };
}

/**
 * The questions of `questions` with the paragraph texts (and titles) of `texts`. The two must be parallel:
 * same number of articles and of paragraphs in each, which is all that can be checked across languages.
 */
export function withParallelParagraphs(questions: EvalDataset, texts: EvalDataset, questionsFile: string, textsFile: string): EvalDataset {
  const mismatch = (detail: string) =>
    createError(
      'BAD_USAGE',
      `--paragraphs ${path.basename(textsFile)} is not parallel to ${path.basename(questionsFile)}: ${detail}`,
    );
  const [ours, theirs] = [articleSizes(questions), articleSizes(texts)];
  if (ours.length !== theirs.length) throw mismatch(`${theirs.length} articles against ${ours.length}`);
  const differing = ours.findIndex((size, i) => size !== theirs[i]);
  if (differing >= 0) {
    throw mismatch(`article ${differing + 1} has ${theirs[differing]} paragraphs against ${ours[differing]}`);
  }
  // The answers are offsets into the other language's paragraphs: they say nothing about these.
  return { paragraphs: texts.paragraphs, questions: questions.questions.map((question) => ({ ...question, answers: [] })) };
}

/** Paragraph count of each article that has paragraphs, in order. */
function articleSizes(dataset: EvalDataset): number[] {
  const sizes = new Map<number, number>();
  for (const { article } of dataset.paragraphs) sizes.set(article, (sizes.get(article) ?? 0) + 1);
  return [...sizes.values()];
}

/** The well-formed entries of a SQuAD `answers` array (anything else is left out: answers are only measured). */
function goldAnswers(answers: unknown): GoldAnswer[] {
  if (!Array.isArray(answers)) return [];
  return answers.flatMap((answer: unknown) =>
    isRecord(answer) && typeof answer.text === 'string' && answer.text !== '' && typeof answer.answer_start === 'number'
      ? [{ text: answer.text, start: answer.answer_start }]
      : [],
  );
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw createError('BAD_USAGE', `Cannot read ${file}: ${reason}`).causedBy(error);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw createError('BAD_USAGE', `${path.basename(file)} is not JSON (${(error as Error).message.split('\n')[0]})`).causedBy(error);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
