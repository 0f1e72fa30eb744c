import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { approximateTokenCounter, countWordsAndSymbols } from '../../src/engine/approximate-token-counter.ts';

/** The definition the counter is written to: runs of letters and digits, and each other non-space character. */
const byPattern = (text: string): number => text.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu)?.length ?? 0;

/** Characters from every class the counter tells apart, so random strings mix them densely. */
const character = fc.oneof(
  fc.constantFrom('a', 'Z', '7', ' ', '\t', '\n', '\r', '\v', '\f', '.', '_', '-', ':', '\u00a0', '\u2003', '\u3000', '\ufeff'),
  fc.constantFrom('é', '中', '文', '٣', 'Ⅻ', '①', '\u0301', '\u200b', '😀', '𝐀', '\ud800', '\udc00', '—', '“'),
  fc.string({ unit: 'binary', maxLength: 1 }),
);

describe('approximate token counter', () => {
  it('counts exactly what the pattern matches, for any text', () => {
    fc.assert(
      fc.property(fc.array(character, { maxLength: 60 }), (characters) => {
        const text = characters.join('');
        expect(countWordsAndSymbols(text)).toBe(byPattern(text));
      }),
      { numRuns: 2000, seed: 20261203 },
    );
  });

  it('counts words, numbers and punctuation as a model would roughly see them', () => {
    expect(countWordsAndSymbols('Who presided over the 2nd meeting?')).toBe(7);
    expect(countWordsAndSymbols('  \n ')).toBe(0);
    const counter = approximateTokenCounter(256);
    expect(counter.maxTokens).toBe(254);
    expect(counter.countTokens('one two three')).toBe(4);
  });
});
