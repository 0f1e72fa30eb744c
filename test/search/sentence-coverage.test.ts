import { describe, expect, it } from 'vitest';
import { characterCoverage, sentenceCoverage } from '../../src/search/sentence-coverage.ts';

const paragraph = (text: string, title = '', section = '') => ({ text, title, section });
// Stemmed terms, as tokenize() gives them: "ferry" → "ferri", "leaves" → "leav".
const weights = new Map([['ferri', 2], ['oslo', 3], ['leav', 1], ['harbour', 2]]);

describe('sentenceCoverage', () => {
  it("is the share of the question's weight held by its best single sentence", () => {
    expect(sentenceCoverage(weights, paragraph('The ferry to Oslo leaves the harbour at ten. Dogs travel free.'))).toBe(1);
    // Best sentence: "The ferry to Oslo is new." holds ferri + oslo = 5 of 8.
    expect(sentenceCoverage(weights, paragraph('The ferry to Oslo is new. It leaves at ten. The harbour is old.'))).toBeCloseTo(5 / 8);
  });

  it("counts the title and section with every sentence, and 0 for a question without weighted terms", () => {
    expect(sentenceCoverage(weights, paragraph('It leaves the harbour at ten.', 'Oslo', 'Ferry'))).toBe(1);
    expect(sentenceCoverage(new Map(), paragraph('The ferry leaves.'))).toBe(0);
  });

  it('gives no weight to a term the passage lacks', () => {
    expect(sentenceCoverage(new Map([['ferri', 1], ['zebra', 3]]), paragraph('The ferry leaves.'))).toBeCloseTo(1 / 4);
  });
});

describe('characterCoverage', () => {
  const question = '北京大学是哪一年建立的？'; // 11 distinct characters

  it("is the share of the question's distinct Chinese characters held by its best single sentence", () => {
    // "北京大学建立于一八九八年。" holds 北 京 大 学 一 年 建 立: 8 of 11 (not 是 哪 的).
    expect(characterCoverage(question, { text: '北京大学建立于一八九八年。它位于海淀区。' })).toBeCloseTo(8 / 11);
    // More of them scattered over three sentences count one sentence at a time: "那一年建立了图书馆" holds 4.
    expect(characterCoverage(question, { text: '北京有很多学校。大学的历史很长。那一年建立了图书馆。' })).toBeCloseTo(4 / 11);
  });

  it('reads full-width and compatibility forms as their ordinary characters, and is 0 without CJK characters', () => {
    expect(characterCoverage('東京タワー？', { text: '東京タワーは高い。' })).toBe(1);
    expect(characterCoverage('When was it built?', { text: '北京大学建立于一八九八年。' })).toBe(0);
    expect(characterCoverage(question, { text: 'Peking University was founded in 1898.' })).toBe(0);
  });
});
