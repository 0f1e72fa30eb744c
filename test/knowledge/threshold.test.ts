import { describe, expect, it } from 'vitest';
import { chooseThreshold, type ScoredVote } from '../../src/knowledge/threshold.ts';

const votes = (vote: 'up' | 'down', ...confidences: number[]): ScoredVote[] => confidences.map((confidence) => ({ vote, confidence }));

describe('chooseThreshold', () => {
  it('suggests the threshold just above the 👎 answers when every 👍 scored higher', () => {
    const suggestion = chooseThreshold([...votes('down', 0.28, 0.3, 0.31), ...votes('up', 0.4, 0.45, 0.5, 0.52, 0.6, 0.7, 0.8)]);
    expect(suggestion).toEqual({ threshold: 0.311, up: 7, down: 3, withheldDown: 3, withheldUp: 0 });
  });

  it('stops below a 👎 that scored higher than many 👍: withholding it would cost more than it saves', () => {
    const suggestion = chooseThreshold([...votes('down', 0.28, 0.3, 0.9), ...votes('up', 0.35, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8)]);
    expect(suggestion.threshold).toBe(0.301);
    expect([suggestion.withheldDown, suggestion.withheldUp]).toEqual([2, 0]);
  });

  it('accepts withholding a 👍 when it withholds more 👎 with it', () => {
    const suggestion = chooseThreshold([...votes('down', 0.3, 0.32, 0.34, 0.36), ...votes('up', 0.31, 0.5, 0.6, 0.7, 0.8, 0.9)]);
    expect(suggestion).toMatchObject({ threshold: 0.361, withheldDown: 4, withheldUp: 1 });
  });

  it('suggests nothing when the 👎 answers scored as high as the 👍 ones', () => {
    const suggestion = chooseThreshold([...votes('down', 0.9, 0.91, 0.92), ...votes('up', 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85)]);
    expect(suggestion).toMatchObject({ threshold: undefined, reason: 'no-better-threshold' });
  });

  it('suggests nothing from too few votes', () => {
    expect(chooseThreshold([...votes('down', 0.2, 0.3), ...votes('up', 0.5)])).toMatchObject({ threshold: undefined, reason: 'too-few-votes', up: 1, down: 2 });
    expect(chooseThreshold(votes('up', 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5))).toMatchObject({ reason: 'too-few-votes' });
  });

  it('breaks a tie towards withholding fewer 👍', () => {
    // 0.301 withholds 1 👎 (net 1); 0.501 withholds 2 👎 and 1 👍 (net 1): the first keeps the 👍.
    const suggestion = chooseThreshold([...votes('down', 0.3, 0.5, 0.95), ...votes('up', 0.4, 0.6, 0.7, 0.8, 0.9, 0.91, 0.92)]);
    expect(suggestion).toMatchObject({ threshold: 0.301, withheldDown: 1, withheldUp: 0 });
  });
});
