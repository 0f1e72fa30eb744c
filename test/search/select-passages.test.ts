import { describe, expect, it } from 'vitest';
import type { StoredParagraph } from '../../src/index/index-storage.ts';
import type { RankedPassage } from '../../src/search/rank-passages.ts';
import { defaultMinScore, selectPassages } from '../../src/search/select-passages.ts';

let label = 0;
const passage = (text: string, score: number): RankedPassage => ({
  score,
  paragraph: { label: label++, text, document: 'd.md', title: 'D', section: '', ordinal: label, start: 0, end: text.length, hash: String(label), scope: '' } as StoredParagraph,
});

describe('selectPassages', () => {
  it('quotes nothing below the threshold, but remembers the closest passage', () => {
    const ranked = [passage('Ferries leave hourly.', 0.2), passage('Buses leave daily.', 0.1)];
    const selection = selectPassages(ranked, { minScore: 0.3, k: 3, offset: 0 });
    expect(selection.passages).toEqual([]);
    expect(selection.closest?.paragraph.text).toBe('Ferries leave hourly.');
  });

  it('shows a near-duplicate once and fills the page with the next distinct passage', () => {
    const ranked = [
      passage('The ferry leaves the harbour every hour from six in the morning.', 0.9),
      passage('The ferry leaves the harbour every hour from six in the morning!', 0.85),
      passage('Tickets are sold at the kiosk beside the pier.', 0.6),
    ];
    const selection = selectPassages(ranked, { minScore: 0.3, k: 2, offset: 0 });
    expect(selection.passages.map((p) => p.score)).toEqual([0.9, 0.6]);
    expect(selection.more).toBe(false);
  });

  it('pages with offset and says when more confident passages exist', () => {
    const ranked = ['alpha one', 'beta two', 'gamma three', 'delta four'].map((text, i) => passage(text, 0.9 - i * 0.1));
    const first = selectPassages(ranked, { minScore: 0.5, k: 2, offset: 0 });
    expect(first.passages.map((p) => p.paragraph.text)).toEqual(['alpha one', 'beta two']);
    expect(first.more).toBe(true);
    const second = selectPassages(ranked, { minScore: 0.5, k: 2, offset: 2 });
    expect(second.passages.map((p) => p.paragraph.text)).toEqual(['gamma three', 'delta four']);
    expect(second.more).toBe(false);
  });
});

describe('defaultMinScore', () => {
  it('uses the Chinese keyword threshold for questions mostly in CJK characters, and per-mode values otherwise', () => {
    expect(defaultMinScore('keyword', 'When does the ferry leave?')).toBe(0.3);
    expect(defaultMinScore('keyword', '黑豹队的防守丢了多少分？')).toBe(0.13);
    expect(defaultMinScore('keyword', 'iPhone 手机')).toBe(0.3);
    expect(defaultMinScore('hybrid', '黑豹队的防守丢了多少分？')).toBe(0.13);
    expect(defaultMinScore('hybrid', 'When does the ferry leave?')).toBe(0.35);
    expect(defaultMinScore('dense', 'anything')).toBe(0.35);
    expect(defaultMinScore('dense', '黑豹队的防守丢了多少分？')).toBe(0.6);
  });
});
