import { describe, expect, it } from 'vitest';
import type { StoredParagraph } from '../../src/store/generation.ts';
import type { RankedPassage } from '../../src/search/rank-passages.ts';
import { answerConfidence, DEFAULT_CHARACTER_COVERAGE_WEIGHT, DEFAULT_COVERAGE_WEIGHT, DEFAULT_GAP_WEIGHT, DEFAULT_MIN_SCORE, defaultGapWeight, defaultMinScore, selectPassages } from '../../src/search/select-passages.ts';

let label = 0;
const passage = (text: string, score: number): RankedPassage => ({
  score,
  paragraph: { label: label++, text, document: 'd.md', title: 'D', section: '', ordinal: label, start: 0, end: text.length, hash: String(label), scope: '' } as StoredParagraph,
});

describe('answerConfidence', () => {
  it('is the top score when the margin has no weight, and 0 for an empty ranking', () => {
    expect(answerConfidence([passage('Ferries leave hourly.', 0.7), passage('Buses leave daily.', 0.69)], 0)).toBe(0.7);
    expect(answerConfidence([], 0.5)).toBe(0);
  });

  it('keeps a clear winner near its score and marks down two near-equal distinct passages', () => {
    const clear = answerConfidence([passage('Ferries leave hourly.', 0.7), passage('Buses leave daily.', 0.1)], 0.5);
    const close = answerConfidence([passage('Ferries leave hourly.', 0.7), passage('Buses leave daily.', 0.69)], 0.5);
    expect(clear).toBeCloseTo(0.65);
    expect(close).toBeCloseTo(0.355);
  });

  it('measures the margin over the next passage that is not a near-duplicate of the top one', () => {
    const ranked = [
      passage('The ferry leaves the harbour every hour from six in the morning.', 0.7),
      passage('The ferry leaves the harbour every hour from six in the morning!', 0.7),
      passage('Tickets are sold at the kiosk beside the pier.', 0.2),
    ];
    expect(answerConfidence(ranked, 0.5)).toBeCloseTo(0.6);
  });

  it('weighs the top passage\'s sentence coverage: scattered question words lower the confidence', () => {
    const withCoverage = (coverage: number): RankedPassage => ({ ...passage('Ferries leave hourly.', 0.6), coverage });
    const rival = passage('Buses leave daily.', 0.2);
    expect(answerConfidence([withCoverage(1), rival], 0.5, 0.2)).toBeCloseTo(0.3 * 0.6 + 0.5 * 0.4 + 0.2);
    expect(answerConfidence([withCoverage(0.25), rival], 0.5, 0.2)).toBeCloseTo(0.3 * 0.6 + 0.5 * 0.4 + 0.05);
    expect(answerConfidence([passage('Ferries leave hourly.', 0.6)], 0, 0.2)).toBeCloseTo(0.8 * 0.6); // not computed: 0
  });

  it("weighs the top passage's character coverage, for Chinese questions", () => {
    const withCharacters = (characterCoverage: number): RankedPassage => ({ ...passage('渡轮每小时开一班。', 0.5), coverage: 0.5, characterCoverage });
    const rival = passage('博物馆九点开门。', 0.3);
    expect(answerConfidence([withCharacters(1), rival], 0.45, 0.05, 0.15)).toBeCloseTo(0.35 * 0.5 + 0.45 * 0.2 + 0.05 * 0.5 + 0.15);
    expect(answerConfidence([withCharacters(0.4), rival], 0.45, 0.05, 0.15)).toBeCloseTo(0.35 * 0.5 + 0.45 * 0.2 + 0.05 * 0.5 + 0.06);
    expect(answerConfidence([passage('渡轮每小时开一班。', 0.5)], 0, 0, 0.15)).toBeCloseTo(0.85 * 0.5); // not computed: 0
  });

  it('counts a lone passage as a clear winner', () => {
    expect(answerConfidence([passage('Ferries leave hourly.', 0.6)], 0.5)).toBeCloseTo(0.6);
  });

  it('has a default weight in [0, 1) for every mode and script', () => {
    for (const mode of ['keyword', 'dense', 'hybrid'] as const) {
      for (const weight of Object.values(DEFAULT_GAP_WEIGHT[mode])) expect(weight >= 0 && weight < 1).toBe(true);
      for (const script of ['alphabetic', 'cjk'] as const) {
        expect(DEFAULT_GAP_WEIGHT[mode][script] + DEFAULT_COVERAGE_WEIGHT[mode][script] + DEFAULT_CHARACTER_COVERAGE_WEIGHT[mode][script]).toBeLessThan(1);
      }
      // Alphabetic questions hold no CJK characters: a weight there would only scale their scores down.
      expect(DEFAULT_CHARACTER_COVERAGE_WEIGHT[mode].alphabetic).toBe(0);
      expect(defaultGapWeight(mode, 'How often does the ferry leave?')).toBe(DEFAULT_GAP_WEIGHT[mode].alphabetic);
      expect(defaultGapWeight(mode, '渡轮多久开一班？')).toBe(DEFAULT_GAP_WEIGHT[mode].cjk);
    }
  });
});

describe('selectPassages', () => {
  it('answers a clear winner with the margin weighed in', () => {
    const ranked = [passage('Ferries leave hourly.', 0.7), passage('Buses leave daily.', 0.1)];
    const selection = selectPassages(ranked, { minScore: 0.4, gapWeight: 0.5, k: 3, offset: 0 });
    expect(selection.passages.map((p) => p.paragraph.text)).toEqual(['Ferries leave hourly.']);
  });

  it('abstains on two near-equal unrelated passages that the top score alone would quote', () => {
    const ranked = [passage('Ferries leave hourly.', 0.7), passage('The museum opens at nine.', 0.69)];
    expect(selectPassages(ranked, { minScore: 0.4, k: 3, offset: 0 }).passages).toHaveLength(2);
    const selection = selectPassages(ranked, { minScore: 0.4, gapWeight: 0.5, k: 3, offset: 0 });
    expect(selection.passages).toEqual([]);
    expect(selection.more).toBe(false);
    expect(selection.closest?.paragraph.text).toBe('Ferries leave hourly.');
  });

  it('does not let near-duplicates of the top passage count as rivals', () => {
    const ranked = [
      passage('The ferry leaves the harbour every hour from six in the morning.', 0.7),
      passage('The ferry leaves the harbour every hour from six in the morning!', 0.7),
    ];
    const selection = selectPassages(ranked, { minScore: 0.4, gapWeight: 0.5, k: 3, offset: 0 });
    expect(selection.passages).toHaveLength(1);
  });

  it('once confident, still quotes further passages by their own score against the threshold', () => {
    const ranked = [passage('Ferries leave hourly.', 0.9), passage('Buses leave daily.', 0.45), passage('The museum opens at nine.', 0.3)];
    const selection = selectPassages(ranked, { minScore: 0.4, gapWeight: 0.25, k: 3, offset: 0 });
    expect(selection.passages.map((p) => p.score)).toEqual([0.9, 0.45]);
  });

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
    expect(defaultMinScore('keyword', 'When does the ferry leave?')).toBe(DEFAULT_MIN_SCORE.keyword.alphabetic);
    expect(defaultMinScore('keyword', '黑豹队的防守丢了多少分？')).toBe(DEFAULT_MIN_SCORE.keyword.cjk);
    expect(defaultMinScore('keyword', 'What does 手机 mean?')).toBe(DEFAULT_MIN_SCORE.keyword.alphabetic);
    // A name or a year in Latin letters and digits counts as one word each, not one per letter.
    expect(defaultMinScore('keyword', 'Sky Digital是什么时候推出的？')).toBe(DEFAULT_MIN_SCORE.keyword.cjk);
    expect(defaultMinScore('keyword', '2000到2005年的砍伐率比1995年高多少？')).toBe(DEFAULT_MIN_SCORE.keyword.cjk);
    // The katakana long-vowel marks (ー) are part of the word "スーパー", not words of their own.
    expect(defaultMinScore('keyword', 'スーパー Mario')).toBe(DEFAULT_MIN_SCORE.keyword.cjk);
    expect(defaultMinScore('hybrid', '黑豹队的防守丢了多少分？')).toBe(DEFAULT_MIN_SCORE.hybrid.cjk);
    expect(defaultMinScore('hybrid', 'When does the ferry leave?')).toBe(DEFAULT_MIN_SCORE.hybrid.alphabetic);
    expect(defaultMinScore('dense', 'anything')).toBe(0.35);
    expect(defaultMinScore('dense', '黑豹队的防守丢了多少分？')).toBe(0.6);
  });
});
