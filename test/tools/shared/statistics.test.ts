import { describe, expect, it } from 'vitest';
import { median, percentile, summarize } from '../../../src/tools/shared/statistics.ts';

describe('percentile', () => {
  it('interpolates between the nearest ranks, whatever the input order', () => {
    const values = [40, 10, 30, 20];
    expect(percentile(values, 0)).toBe(10);
    expect(percentile(values, 100)).toBe(40);
    expect(percentile(values, 50)).toBe(25);
    expect(percentile(values, 25)).toBeCloseTo(17.5);
    expect(values).toEqual([40, 10, 30, 20]);
  });

  it('gives the one value of a single-value sample and NaN for an empty one', () => {
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('puts p95 and p99 of 1..100 where the definition says', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 95)).toBeCloseTo(95.05);
    expect(percentile(values, 99)).toBeCloseTo(99.01);
    expect(median(values)).toBe(50.5);
  });

  it('refuses a percentile outside [0, 100]', () => {
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], -1)).toThrow(RangeError);
  });

  it('summarize reports count, mean and the three percentiles', () => {
    expect(summarize([1, 2, 3, 4, 5])).toEqual({ count: 5, p50: 3, p95: 4.8, p99: expect.closeTo(4.96, 10), mean: 3 });
  });
});
