import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAnswerEmbed } from '../../src/bot/format/answer-message.ts';
import { passageQuote } from '../../src/bot/format/passage-quote.ts';
import { DISCORD_LIMITS } from '../../src/bot/format/text.ts';
import type { Answer } from '../../src/engine/types.ts';

/** The span of `sentence` in `text`. */
const spanOf = (text: string, sentence: string) => ({ start: text.indexOf(sentence), end: text.indexOf(sentence) + sentence.length });

describe('passageQuote', () => {
  it('quotes a short passage whole, the highlight in bold', () => {
    const text = 'The meeting was held. Reform comes next year. It ended.';
    expect(passageQuote(text, [spanOf(text, 'Reform comes next year.')], 900)).toBe('> The meeting was held. **Reform comes next year.** It ended.');
  });

  it('without a highlight, quotes the start of the passage as before', () => {
    expect(passageQuote('Plain text. More text.', [], 900)).toBe('> Plain text. More text.');
  });

  it('trims a long passage around a highlight near its end: "… before **answer** after …", within the limit', () => {
    const filler = 'This sentence only fills the paragraph with words. '.repeat(30);
    const answer = 'State-owned enterprises will merge their boards.';
    const text = `${filler}${answer} ${filler}`;
    const quote = passageQuote(text, [spanOf(text, answer)], 500);
    expect(quote.length).toBeLessThanOrEqual(500);
    expect(quote).toContain(`**${answer}**`);
    expect(quote).toMatch(/^> … This sentence/); // cut at a sentence start
    expect(quote).toMatch(/…$/);
    expect(quote.indexOf('**')).toBeGreaterThan(100); // context before it kept, not only after
  });

  it('bolds a highlight over several lines line by line, inside the quote', () => {
    const text = 'Intro.\nThe answer starts here\nand goes on here.\nOutro.';
    expect(passageQuote(text, [spanOf(text, 'The answer starts here\nand goes on here.')], 900)).toBe('> Intro.\n> **The answer starts here**\n> **and goes on here.**\n> Outro.');
  });

  it('keeps the start of a highlight longer than the whole field, still in bold', () => {
    const text = `Before. ${'A very long answering sentence, '.repeat(60)}end.`;
    const quote = passageQuote(text, [{ start: 8, end: text.length }], 300);
    expect(quote.length).toBeLessThanOrEqual(300);
    expect(quote).toMatch(/^> \*\*A very long answering sentence, .*…\*\*$/);
  });

  it('escapes the document\'s own Markdown, so it cannot open or close the bold', () => {
    const text = 'Use **care** here. The *answer* is_this_. Done.';
    const quote = passageQuote(text, [spanOf(text, 'The *answer* is_this_.')], 900);
    expect(quote).toBe('> Use \\*\\*care\\*\\* here. **The \\*answer\\* is\\_this\\_.** Done.');
  });

  it('never exceeds the limit, and never cuts a highlight that fits (random passages)', () => {
    const sentence = fc.stringMatching(/^[A-Za-z*_`>@ \n]{1,80}\.$/);
    fc.assert(
      fc.property(fc.array(sentence, { minLength: 1, maxLength: 40 }), fc.nat(), fc.integer({ min: 60, max: 1000 }), (sentences, pick, max) => {
        const text = sentences.join(' ');
        const chosen = sentences[pick % sentences.length]!;
        const start = sentences.slice(0, pick % sentences.length).join(' ').length + (pick % sentences.length === 0 ? 0 : 1);
        const quote = passageQuote(text, [{ start, end: start + chosen.length }], max);
        expect(quote.length).toBeLessThanOrEqual(max);
        const bolded = passageQuote(chosen, [{ start: 0, end: chosen.length }], 10_000).replace(/^> /gm, '');
        if (bolded.length + 4 * chosen.split('\n').length <= max / 2 && chosen.trim() !== '') {
          for (const line of bolded.split('\n')) expect(quote).toContain(line);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('answer embed with highlights', () => {
  it('quotes each passage with its highlight in bold, every field within Discord\'s limit', () => {
    const text = `${'Filler words before the answer. '.repeat(40)}The reform merges the boards. ${'After it. '.repeat(80)}`;
    const answer: Answer = {
      question: 'What reform is planned?',
      mode: 'hybrid',
      answered: true,
      more: false,
      passages: [1, 2, 3].map((i) => ({ document: `d${i}.md`, title: 'T', section: '', paragraphNumber: i, score: 0.7, text, start: 0, end: text.length, highlights: [spanOf(text, 'The reform merges the boards.')] })),
    };
    for (const field of buildAnswerEmbed(answer).fields!) {
      expect(field.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
      expect(field.value).toMatch(/^> … .*\*\*The reform merges the boards\.\*\* After it\..*…\n— `d\d\.md` · relevance 70%$/s);
    }
  });
});
