import { describe, expect, it } from 'vitest';
import { Bm25Index } from '../../src/index/bm25-index.ts';
import type { StoredParagraph } from '../../src/store/generation.ts';
import { buildKeywordIndex, KEYWORD_PARAMETERS, keywordText } from '../../src/search/keyword-index.ts';

let nextLabel = 0;
function paragraph(scope: string, text: string, title = 'Handbook'): StoredParagraph {
  const label = nextLabel++;
  return { label, scope, text, title, section: 'Basics', document: `${title}.md`, ordinal: 1, start: 0, end: text.length, hash: String(label) };
}

const shared = [
  paragraph('', 'The ferry to the island leaves the harbour every hour.'),
  paragraph('', 'Tide tables for every port are published each Monday by the harbour office, which also sells ferry tickets.'),
  paragraph('', 'The museum opens at nine.'),
];
const serverB = [paragraph('222', 'Our voice channels close at midnight and the ferry meetup is on Fridays.')];
const serverA = [
  ...Array.from({ length: 200 }, () => paragraph('111', '🎉🔥👍 \u200B\u200B', 'Party')),
  paragraph('111', 'ferry ferry ferry harbour island ferry timetable'),
];

describe('ScopedKeywordIndex', () => {
  it('scores a server\'s search from the shared documents and its own only', () => {
    const seenByB = new Set(['', '222']);
    const without = buildKeywordIndex([...shared, ...serverB]);
    const withA = buildKeywordIndex([...shared, ...serverB, ...serverA]);
    for (const question of ['When does the ferry leave the harbour?', 'voice channels', 'museum']) {
      const hits = without.search(question, 10, seenByB);
      expect(hits.length).toBeGreaterThan(0);
      expect(withA.search(question, 10, seenByB)).toEqual(hits);
    }
    // Server A sees its own paragraph, scored with A's statistics.
    expect(withA.search('ferry timetable', 1, new Set(['', '111']))[0]!.id).toBe(serverA.at(-1)!.label);
  });

  it('scores a single knowledge base exactly as one BM25 index over its keyword texts', () => {
    const reference = Bm25Index.fromEntries(shared.map((p) => [p.label, keywordText(p)]), KEYWORD_PARAMETERS);
    const index = buildKeywordIndex(shared);
    for (const question of ['ferry harbour', 'Handbook basics museum', 'tide Monday']) {
      expect(index.search(question, 10, new Set(['']))).toEqual(reference.search(question, 10));
    }
  });

  it('leaves out paragraphs whose own text has no words, though their title has', () => {
    const index = buildKeywordIndex(serverA);
    expect(index.search('party', 10, new Set(['111']))).toEqual([]);
    expect(index.search('ferry', 10, new Set(['111'])).map((hit) => hit.id)).toEqual([serverA.at(-1)!.label]);
  });
});
