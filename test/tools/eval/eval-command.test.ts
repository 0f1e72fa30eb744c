import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/output.ts';
import { runDocqa } from '../../../src/docqa.ts';
import type { EvalJson } from '../../../src/tools/eval/eval-command.ts';
import { makeDataDir, tinyModelEnv } from '../../support/engine-fixture.ts';
import { DEFAULT_GAP_WEIGHT, DEFAULT_MIN_SCORE } from '../../../src/search/select-passages.ts';

const HAND_RANKED = 'test/tools/eval/fixtures/hand-ranked.json';
const XQUAD_EN = 'test/tools/eval/fixtures/xquad-mini.en.json';
const XQUAD_ZH = 'test/tools/eval/fixtures/xquad-mini.zh.json';

/** Runs the CLI in this process with captured output. */
async function docqa(args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), isTerminal: false };
  const code = await runDocqa(args, io);
  return { code, stdout, stderr };
}

// runDocqa reads its settings from process.env (config.ts is the one reader): each test gets a known environment,
// with the model settings pointing at the tiny test model, and the real one is put back afterwards.
let savedEnv: NodeJS.ProcessEnv;
beforeEach(() => {
  savedEnv = { ...process.env };
  // Empty counts as unset for config.ts, and keeps a developer's .env from filling these in.
  Object.assign(process.env, tinyModelEnv(makeDataDir()), { LOG_LEVEL: 'warn', MIN_SCORE: '', SEARCH_MODE: '', HYBRID_DENSE_WEIGHT: '' });
});
afterEach(() => {
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
  Object.assign(process.env, savedEnv);
});

describe('docqa eval', () => {
  it('--json on a hand-ranked fixture prints one object with the figures worked out by hand', async () => {
    const { code, stdout, stderr } = await docqa(['eval', HAND_RANKED, '--mode', 'keyword', '--holdout', '0', '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as EvalJson;
    expect(Object.keys(report)).toEqual([
      'file', 'paragraphsFile', 'mode', 'paragraphs', 'questions', 'recall', 'mrr10', 'ndcg10', 'latencyMs', 'indexSeconds',
      'unsearchable', 'abstention', 'highlight', 'totalSeconds',
    ]);
    expect(report).toMatchObject({ file: HAND_RANKED, paragraphsFile: null, mode: 'keyword', paragraphs: 3, questions: 4, unsearchable: 0, abstention: null });
    // Keyword terms after stop words and stemming, and the ranks they give (see fixtures/README.md):
    //   q1 "When do cats hunt mice?"        {cat, hunt, mice}  → only the cat paragraph has them     → rank 1
    //   q2 "What is molten rock called?"    {molten, rock, call} → only the volcano paragraph          → rank 1
    //   q3 "Why does a cat purr?" (trains)  {cat, purr}        → the train paragraph has neither      → not found
    //   q4 "What do cats do with steam at night?" (trains) {cat, steam, night}: the cat paragraph has two of
    //      them, the train paragraph one (same idf, all df = 1)                                       → rank 2
    // Ranks [1, 1, none, 2]: Recall@1 = 2/4; Recall@3 = @5 = @10 = 3/4; MRR = (1 + 1 + 0 + 1/2)/4 = 0.625;
    // nDCG@10 = (1 + 1 + 0 + 1/log2(3))/4 = (2 + 0.63093)/4 = 0.65773.
    expect(report.recall).toEqual({ 1: 0.5, 3: 0.75, 5: 0.75, 10: 0.75 });
    expect(report.mrr10).toBe(0.625);
    expect(report.ndcg10).toBeCloseTo((2 + 1 / Math.log2(3)) / 4, 12);
    expect(report.latencyMs.p50).toBeGreaterThan(0);
    expect(report.latencyMs.p95).toBeGreaterThanOrEqual(report.latencyMs.p50);
    expect(report.indexSeconds).toBeGreaterThanOrEqual(0);
    // q1 and q2 have their paragraph first and a gold answer: "at night" is in the first sentence of the cat
    // paragraph, which has all three question terms (the second only "cat"); "magma" is in the one volcano sentence.
    expect(report.highlight).toMatchObject({ judged: 2, containing: 2, share: 1 });
  });

  it('reports abstention at the threshold in force and, with --sweep, over the grid with a suggestion', async () => {
    const { code, stdout } = await docqa(['eval', XQUAD_EN, '--mode', 'keyword', '--sweep', '--json']);
    expect(code).toBe(0);
    const { abstention } = JSON.parse(stdout) as EvalJson;
    // Default hold-out 0.2 of 3 paragraphs → round(0.6) = 1 held out. The default keyword threshold and margin weight for English.
    expect(abstention).toMatchObject({
      holdout: 0.2,
      heldOutParagraphs: 1,
      gapWeight: DEFAULT_GAP_WEIGHT.keyword.alphabetic,
      configured: { threshold: DEFAULT_MIN_SCORE.keyword.alphabetic },
    });
    expect(abstention!.heldOutQuestions + abstention!.inIndexQuestions).toBe(6);
    expect(abstention!.sweep!.map((rates) => rates.threshold)).toEqual([0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6]);
    for (const rates of abstention!.sweep!) {
      expect(Object.keys(rates)).toEqual(['threshold', 'answeredWrongly', 'withheldRight', 'withheldOfRight']);
    }
    expect(abstention).toHaveProperty('suggested');
  });

  it('prints a readable table without --json, and honours --limit and MIN_SCORE', async () => {
    process.env.MIN_SCORE = '0.4';
    const { code, stdout } = await docqa(['eval', XQUAD_ZH, '--paragraphs', XQUAD_EN, '--mode', 'keyword', '--limit', '2', '--sweep']);
    expect(code).toBe(0);
    expect(stdout).toContain(`docqa eval: ${XQUAD_ZH} (paragraphs from ${XQUAD_EN})`);
    expect(stdout).toContain('Mode keyword: 3 paragraphs, 2 questions');
    expect(stdout).toMatch(/Recall@1 +Recall@3 +Recall@5 +Recall@10 +MRR@10 +nDCG@10 +p50 ms +p95 ms\n[- ]+\n +\d+\.\d%/);
    expect(stdout).toContain('0.40 (in force)');
    expect(stdout).toMatch(/Suggested MIN_SCORE for keyword|No threshold of the sweep/);
  });

  it('hybrid mode runs on the configured model', async () => {
    const { code, stdout } = await docqa(['eval', XQUAD_EN, '--mode', 'hybrid', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ mode: 'hybrid', paragraphs: 3, questions: 6 });
  });

  it('fails with the model error when dense mode cannot load the model, instead of falling back to keywords', async () => {
    process.env.EMBEDDING_MODEL = 'Xenova/absent-model';
    const { code, stdout, stderr } = await docqa(['eval', XQUAD_EN, '--mode', 'dense']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^Error: Cannot load embedding model "Xenova\/absent-model" from .*: downloads are off/);
  });

  it('uses exit code 2 and one line for bad usage and bad files', async () => {
    const cases: [string[], RegExp][] = [
      [[], /eval takes one SQuAD-format file/],
      [[XQUAD_EN, XQUAD_ZH], /eval takes one SQuAD-format file/],
      [[XQUAD_EN, '--mode', 'psychic'], /--mode must be one of keyword, dense, hybrid \(got "psychic"\)/],
      [[XQUAD_EN, '--limit', '0'], /--limit must be a whole number ≥ 1/],
      [[XQUAD_EN, '--holdout', '1'], /--holdout must be a fraction from 0/],
      [[XQUAD_EN, '--holdout', ''], /--holdout must be a fraction from 0/],
      [[XQUAD_EN, '--bogus'], /Unknown option '--bogus'/],
      [['missing.json', '--mode', 'keyword'], /Cannot read missing\.json: no such file/],
      [['package.json', '--mode', 'keyword'], /package\.json is not a SQuAD file/],
      [[XQUAD_ZH, '--paragraphs', HAND_RANKED, '--mode', 'keyword'], /is not parallel to xquad-mini\.zh\.json/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await docqa(['eval', ...args]);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr, args.join(' ')).toMatch(message);
      expect(stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });
});
