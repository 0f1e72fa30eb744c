import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/errors.ts';
import { parseSquad, readSquad } from '../../../src/tools/shared/squad.ts';

const FIXTURES = 'test/tools/eval/fixtures';
const EN = path.join(FIXTURES, 'xquad-mini.en.json');
const ZH = path.join(FIXTURES, 'xquad-mini.zh.json');

function tempFile(name: string, content: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-eval-')), name);
  fs.writeFileSync(file, content);
  return file;
}

/** The one-line BAD_USAGE message `action` fails with. */
function usageError(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (!isAppError(error, 'BAD_USAGE')) throw error;
    expect(error.message).not.toContain('\n');
    return error.message;
  }
  throw new Error('expected a BAD_USAGE error');
}

describe('readSquad', () => {
  it('numbers paragraphs in file order and ties each question to its paragraph', () => {
    const { paragraphs, questions } = readSquad(EN);
    expect(paragraphs.map(({ id, article, articleTitle }) => ({ id, article, articleTitle }))).toEqual([
      { id: 0, article: 0, articleTitle: 'Super_Bowl_50' },
      { id: 1, article: 0, articleTitle: 'Super_Bowl_50' },
      { id: 2, article: 1, articleTitle: 'Warsaw' },
    ]);
    expect(paragraphs[0]!.text).toMatch(/^The Broncos defeated the Pittsburgh Steelers in the divisional round/);
    expect(questions).toHaveLength(6);
    expect(questions[0]).toEqual({ id: '56beb7953aeaaa14008c92ab', question: 'Who lost to the Broncos in the divisional round?', paragraph: 0, answers: [{ text: 'Pittsburgh Steelers', start: 25 }] });
    expect(questions.map((question) => question.paragraph)).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it('takes the paragraph texts from a parallel file with --paragraphs, keeping the questions', () => {
    const crossLingual = readSquad(ZH, { paragraphsFile: EN });
    expect(crossLingual.questions[0]).toEqual({ id: '56beb7953aeaaa14008c92ab', question: '谁在分区轮输给了野马队？', paragraph: 0, answers: [] });
    expect(crossLingual.paragraphs).toEqual(readSquad(EN).paragraphs);
  });

  it('refuses a --paragraphs file that is not parallel, saying how the counts differ', () => {
    const en = JSON.parse(fs.readFileSync(EN, 'utf8'));
    const oneArticle = tempFile('one-article.json', JSON.stringify({ data: en.data.slice(0, 1) }));
    expect(usageError(() => readSquad(ZH, { paragraphsFile: oneArticle }))).toBe(
      '--paragraphs one-article.json is not parallel to xquad-mini.zh.json: 1 articles against 2',
    );
    const shorter = { data: [{ ...en.data[0], paragraphs: en.data[0].paragraphs.slice(0, 1) }, en.data[1]] };
    const missingParagraph = tempFile('missing-paragraph.json', JSON.stringify(shorter));
    expect(usageError(() => readSquad(ZH, { paragraphsFile: missingParagraph }))).toBe(
      '--paragraphs missing-paragraph.json is not parallel to xquad-mini.zh.json: article 1 has 1 paragraphs against 2',
    );
  });

  it('says in one line when the file is missing, not JSON, or not SQuAD', () => {
    expect(usageError(() => readSquad('/nonexistent/xquad.json'))).toBe('Cannot read /nonexistent/xquad.json: no such file');
    expect(usageError(() => readSquad(tempFile('broken.json', '{"data": [')))).toMatch(/^broken\.json is not JSON \(.+\)$/);
    expect(usageError(() => readSquad(EN, { paragraphsFile: '/nonexistent/en.json' }))).toBe('Cannot read /nonexistent/en.json: no such file');
  });

  it('names the first part of the file that is not SQuAD', () => {
    const parse = (json: unknown) => usageError(() => parseSquad(json, '/data/file.json'));
    expect(parse([1, 2])).toBe('file.json is not a SQuAD file: the top level should be an object with a "data" array');
    expect(parse({ data: [{ title: 'A' }] })).toBe('file.json is not a SQuAD file: data[0] should be an object with a "paragraphs" array');
    expect(parse({ data: [{ paragraphs: [{ qas: [] }] }] })).toBe(
      'file.json is not a SQuAD file: data[0].paragraphs[0] should be an object with a "context" string',
    );
    expect(parse({ data: [{ paragraphs: [{ context: 'x' }] }] })).toBe('file.json is not a SQuAD file: data[0].paragraphs[0].qas should be an array');
    expect(parse({ data: [{ paragraphs: [{ context: 'x', qas: [{ id: 'q1' }] }] }] })).toBe(
      'file.json is not a SQuAD file: data[0].paragraphs[0].qas[0] should be an object with "id" and "question" strings',
    );
    expect(parse({ data: [] })).toBe('file.json is not a SQuAD file: "data" should be a list of articles with at least one paragraph');
  });
});
