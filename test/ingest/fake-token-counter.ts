import type { TokenCounter } from '../../src/ingest/types.ts';

/** A word (or a single Chinese character) is one token; counts its calls so tests can check it is used sparingly. */
export function fakeTokenCounter(maxTokens: number): TokenCounter & { calls: number } {
  const counter = {
    maxTokens,
    calls: 0,
    countTokens(text: string): number {
      counter.calls++;
      return text.match(/\p{Script=Han}|[^\s\p{Script=Han}]+/gu)?.length ?? 0;
    },
  };
  return counter;
}

/** Text without any whitespace, to compare content regardless of how it was re-spaced. */
export function squash(text: string): string {
  return text.replace(/\s+/g, '');
}
