import { describe, expect, it } from 'vitest';
import { sentenceCoverage } from '../../src/search/sentence-coverage.ts';

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
