import { describe, expect, it } from 'vitest';
import { printable, printableLine } from '../src/printable-text.ts';

describe('printable', () => {
  it('removes terminal escape sequences whole, other C0/C1 controls and bidi overrides (issue 15.9)', () => {
    expect(printable('\x1b[31mred\x1b[0m name\x1b[2K\r.md')).toBe('red name.md');
    expect(printable('bell\x07 osc\x1b]0;title\x07 nul\x00 del\x7f c1\x9b31m')).toBe('bell osc]0;title nul del c131m');
    expect(printable('invoice\u202Etxt.exe \u2066isolated\u2069')).toBe('invoicetxt.exe isolated');
  });

  it('keeps line feeds, tabs and ordinary text, emoji and CJK included', () => {
    const text = '- first\n\t- second 中文 🎉 café';
    expect(printable(text)).toBe(text);
  });

  it('puts names on one line', () => {
    expect(printableLine('two\nlines\tand\r\ntabs\u2028')).toBe('two lines and tabs ');
  });

  it('is linear on a long run of escapes without a final byte', () => {
    const hostile = '\x1b['.repeat(100_000) + '0;'.repeat(100_000);
    const started = performance.now();
    expect(printable(hostile)).toBe('['.repeat(100_000) + '0;'.repeat(100_000));
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
