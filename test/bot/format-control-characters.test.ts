import { describe, expect, it } from 'vitest';
import { buildAnswerEmbed } from '../../src/bot/format/answer-message.ts';
import { formatReport } from '../../src/bot/format/reindex-report.ts';
import type { ReindexReport } from '../../src/engine/types.ts';
import type { Answer } from '../../src/engine/types.ts';

const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
const HOSTILE = '\x1b[31mred\x1b[0m \u202Eevil\x07';

/** Every string anywhere in a reply payload. */
function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(allStrings);
  return [];
}

describe('bot replies carry no control characters (issue 15.9)', () => {
  it('an answer embed: question, location, passage text and document name', () => {
    const passage = { document: `${HOSTILE}.md`, title: HOSTILE, section: HOSTILE, paragraphNumber: 1, score: 0.5, text: `A passage ${HOSTILE}\nover two lines.`, start: 0, end: 30, highlights: [] };
    const answered: Answer = { question: `why ${HOSTILE}`, mode: 'keyword', answered: true, more: false, passages: [passage] };
    const unanswered: Answer = { question: 'q', mode: 'keyword', answered: false, more: false, passages: [], closest: passage };

    for (const embed of [buildAnswerEmbed(answered), buildAnswerEmbed(unanswered)]) {
      const texts = allStrings(embed).join('\n');
      expect(texts).toContain('red');
      expect(texts).not.toMatch(CONTROL);
    }
  });

  it('a reindex report naming skipped files', () => {
    const report = { added: 0, changed: 0, removed: 0, unchanged: 0, paragraphs: 0, embedded: 0, rebuilt: false, seconds: 1, skipped: [{ path: `docs/${HOSTILE}.md`, reason: 'empty file' }] } as unknown as ReindexReport;
    const text = formatReport(report);
    expect(text).toContain('red');
    expect(text).not.toMatch(CONTROL);
  });
});
