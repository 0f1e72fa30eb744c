import { describe, expect, it } from 'vitest';
import { runEval, type EvalOptions } from '../../../src/tools/eval/run-eval.ts';
import type { EvalDataset } from '../../../src/tools/shared/squad.ts';
import { createConceptEmbedder } from '../../support/fake-embedder.ts';

const DATASET: EvalDataset = {
  paragraphs: [
    { id: 0, article: 0, articleTitle: 'Transport', text: 'A car needs fuel, oil and a driver with a licence.' },
    { id: 1, article: 0, articleTitle: 'Transport', text: 'Trains run on rails between stations.' },
    { id: 2, article: 1, articleTitle: 'Geology', text: 'Volcanoes erupt molten lava.' },
  ],
  questions: [
    // No keyword of the car paragraph: only the embedder's synonym (automobile → car) can find it.
    { id: 'q1', question: 'What does an automobile require?', paragraph: 0, answers: [{ text: 'fuel, oil and a driver', start: 11 }] },
    { id: 'q2', question: 'Where do trains run?', paragraph: 1, answers: [{ text: 'on rails', start: 11 }] },
    // Unsearchable: the engine refuses it, and eval counts it as a miss instead of failing.
    { id: 'q3', question: '???', paragraph: 2, answers: [] },
  ],
};

const OPTIONS: EvalOptions = {
  mode: 'keyword',
  holdout: 0,
  threshold: 0.25,
  sweep: false,
  denseWeight: 0.5,
  hnsw: { m: 16, efConstruction: 200, efSearch: 200 },
  maxQuestionChars: 1000,
};

/** A clock that advances 1 ms per reading: every question then takes exactly 1 ms (two readings apart). */
function steppingClock(): () => number {
  let time = 0;
  return () => time++;
}

describe('runEval', () => {
  it('keyword mode misses a question that shares no word with its paragraph', async () => {
    const report = await runEval(DATASET, OPTIONS, { embedder: null, now: steppingClock() });
    // Ranks [none, 1, none]: Recall@k = 1/3 for every k, MRR = nDCG = (0 + 1 + 0) / 3.
    expect(report).toMatchObject({ mode: 'keyword', paragraphs: 3, questions: 3, unsearchable: 1, abstention: null });
    expect(report.recall).toEqual({ 1: 1 / 3, 3: 1 / 3, 5: 1 / 3, 10: 1 / 3 });
    expect(report.mrr10).toBeCloseTo(1 / 3, 12);
    // Two searchable questions, 1 ms each.
    expect(report.latencyMs).toEqual({ p50: 1, p95: 1 });
  });

  it('dense mode embeds the paragraphs and finds the paragraph through the synonym', async () => {
    // 1,024 axes: with the default 64, question words collide with other paragraphs' words often enough to mislead.
    const embedder = createConceptEmbedder({ synonyms: { automobile: 'car' }, dimension: 1024 });
    const report = await runEval(DATASET, { ...OPTIONS, mode: 'dense' }, { embedder });
    // The 3 paragraphs, then the one sentence of each top passage that is right (q1, q2), to highlight it.
    expect(embedder.texts).toBe(5);
    expect(report.highlight).toMatchObject({ judged: 2, containing: 2 });
    // Ranks [1, 1, none]: Recall@1 = 2/3.
    expect(report.recall[1]).toBeCloseTo(2 / 3, 12);
  });

  it('refuses dense mode without an embedder', async () => {
    await expect(runEval(DATASET, { ...OPTIONS, mode: 'hybrid' }, { embedder: null })).rejects.toThrow(/hybrid mode needs an embedder/);
  });

  it('abstention: questions about held-out paragraphs are judged on an index without them', async () => {
    // 0.5 of 3 paragraphs → round(1.5) = 2 held out; the sweep runs on the second index.
    const report = await runEval(DATASET, { ...OPTIONS, holdout: 0.5, sweep: true }, { embedder: null });
    const abstention = report.abstention!;
    expect(abstention.heldOutParagraphs).toBe(2);
    expect(abstention.heldOutQuestions + abstention.inIndexQuestions).toBe(3);
    expect(abstention.sweep).toHaveLength(12);
    // Keyword scores of unrelated paragraphs are 0 here (no shared words): no held-out question gets an answer.
    expect(abstention.configured.answeredWrongly).toBe(0);
    // The full-index figures do not change with the hold-out.
    expect(report.recall).toEqual((await runEval(DATASET, OPTIONS, { embedder: null })).recall);
  });
});
