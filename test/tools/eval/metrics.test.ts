import { describe, expect, it } from 'vitest';
import {
  abstentionAt,
  holdOut,
  mrrAt,
  ndcgAt,
  percentile,
  pickThreshold,
  rankMetrics,
  recallAt,
  SWEEP_THRESHOLDS,
  type AbstentionOutcomes,
} from '../../../src/tools/eval/metrics.ts';

describe('ranking metrics', () => {
  it('Recall@k, MRR@10 and nDCG@10 of ranks [1, 3, none]', () => {
    const ranks = [1, 3, null];
    // Recall@1: only the first question has its paragraph at rank ≤ 1 → 1/3.
    expect(recallAt(ranks, 1)).toBeCloseTo(1 / 3, 12);
    // Recall@3 = Recall@10: ranks 1 and 3 are ≤ 3, the third question never → 2/3.
    expect(recallAt(ranks, 3)).toBeCloseTo(2 / 3, 12);
    expect(recallAt(ranks, 10)).toBeCloseTo(2 / 3, 12);
    // MRR = (1/1 + 1/3 + 0) / 3 = 4/9 = 0.444…
    expect(mrrAt(ranks)).toBeCloseTo((1 + 1 / 3 + 0) / 3, 12);
    expect(mrrAt(ranks)).toBeCloseTo(4 / 9, 12);
    // nDCG@10 = (1/log2(2) + 1/log2(4) + 0) / 3 = (1 + 0.5 + 0) / 3 = 0.5
    expect(ndcgAt(ranks)).toBeCloseTo(0.5, 12);
  });

  it('ignores ranks below the cut-off', () => {
    // Rank 11 is outside the top 10: it counts as a miss for every @10 metric, however it was found.
    const ranks = [11, 2];
    expect(recallAt(ranks, 10)).toBe(0.5);
    // MRR@10 = (0 + 1/2) / 2 = 0.25
    expect(mrrAt(ranks, 10)).toBe(0.25);
    // nDCG@10 = (0 + 1/log2(3)) / 2 = 0.6309… / 2 = 0.3155…
    expect(ndcgAt(ranks, 10)).toBeCloseTo(1 / Math.log2(3) / 2, 12);
    // With a cut-off of 1, rank 2 is a miss too.
    expect(mrrAt(ranks, 1)).toBe(0);
  });

  it('sums up all cut-offs at once, and is NaN for no questions', () => {
    // Ranks [1, 2, 4, 6, none]: Recall@1 = 1/5, @3 = 2/5, @5 = 3/5, @10 = 4/5;
    // MRR = (1 + 1/2 + 1/4 + 1/6 + 0) / 5 = (23/12) / 5 = 23/60.
    const metrics = rankMetrics([1, 2, 4, 6, null]);
    expect(metrics.recall).toEqual({ 1: 0.2, 3: 0.4, 5: 0.6, 10: 0.8 });
    expect(metrics.mrr10).toBeCloseTo(23 / 60, 12);
    // nDCG = (1 + 1/log2(3) + 1/log2(5) + 1/log2(7) + 0) / 5 = (1 + 0.63093 + 0.43068 + 0.35621) / 5 = 0.48356
    expect(metrics.ndcg10).toBeCloseTo(0.48356, 5);
    expect(rankMetrics([]).mrr10).toBeNaN();
  });
});

describe('percentile (linear interpolation between the nearest ranks)', () => {
  it('interpolates at position (n − 1)·p/100 of the sorted sample', () => {
    // Sorted [1, 2, 3, 4]: p50 at position 1.5 → 2 + 0.5·(3 − 2) = 2.5; p95 at 2.85 → 3 + 0.85·(4 − 3) = 3.85.
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5);
    expect(percentile([4, 1, 3, 2], 95)).toBeCloseTo(3.85, 12);
    // Odd size: p50 is the middle value; p0 and p100 are the extremes.
    expect(percentile([10, 30, 20], 50)).toBe(20);
    expect(percentile([10, 30, 20], 0)).toBe(10);
    expect(percentile([10, 30, 20], 100)).toBe(30);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('abstention rates', () => {
  // Four questions about indexed paragraphs: three right answers (scores 0.9, 0.3, 0.1), one wrong (0.5);
  // two about held-out paragraphs, whose best (necessarily wrong) passages score 0.4 and 0.2.
  const outcomes: AbstentionOutcomes = {
    inIndex: [
      { right: true, topScore: 0.9 },
      { right: true, topScore: 0.3 },
      { right: true, topScore: 0.1 },
      { right: false, topScore: 0.5 },
    ],
    heldOut: [0.4, 0.2],
  };

  it('counts wrong answers given and right answers withheld at a threshold', () => {
    // t = 0.3: held-out scores ≥ 0.3: only 0.4 → answered wrongly 1/2. Right answers below 0.3: only 0.1 →
    // withheld 1 of the 4 indexed questions (1/4), and 1 of the 3 right answers (1/3). 0.3 itself is shown (≥).
    expect(abstentionAt(outcomes, 0.3)).toEqual({ threshold: 0.3, answeredWrongly: 0.5, withheldRight: 0.25, withheldOfRight: 1 / 3 });
    // t = 0.05: everything is answered → 2/2 wrong, nothing withheld.
    expect(abstentionAt(outcomes, 0.05)).toMatchObject({ answeredWrongly: 1, withheldRight: 0 });
    // Nothing to count → null rather than 0/0.
    expect(abstentionAt({ inIndex: [], heldOut: [] }, 0.3)).toMatchObject({ answeredWrongly: null, withheldRight: null });
  });

  it('picks the threshold with the fewest wrong answers that withholds under 5%, the lower one on a tie', () => {
    const rates = [
      { threshold: 0.1, answeredWrongly: 0.5, withheldRight: 0.0, withheldOfRight: 0.0 },
      { threshold: 0.2, answeredWrongly: 0.2, withheldRight: 0.03, withheldOfRight: 0.04 },
      { threshold: 0.25, answeredWrongly: 0.2, withheldRight: 0.04, withheldOfRight: 0.05 },
      { threshold: 0.3, answeredWrongly: 0.1, withheldRight: 0.05, withheldOfRight: 0.06 }, // 5% is not under 5%
    ];
    expect(pickThreshold(rates)?.threshold).toBe(0.2);
    expect(pickThreshold(rates, 0.01)?.threshold).toBe(0.1);
    expect(pickThreshold(rates.slice(3))).toBeUndefined();
  });

  it('sweeps 0.05 to 0.60 in steps of 0.05', () => {
    expect(SWEEP_THRESHOLDS).toEqual([0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6]);
  });
});

describe('holdOut', () => {
  it('holds out round(fraction · n) distinct paragraphs, the same ones every time', () => {
    const first = holdOut(240, 0.2);
    expect(first.size).toBe(48);
    expect([...first].every((id) => Number.isInteger(id) && id >= 0 && id < 240)).toBe(true);
    expect([...holdOut(240, 0.2)]).toEqual([...first]);
    expect(holdOut(3, 0.2).size).toBe(1); // round(0.6)
    expect(holdOut(10, 0).size).toBe(0);
    // Spread over the file, not a block at its start.
    expect(Math.max(...first)).toBeGreaterThan(120);
  });
});
