import { describe, expect, it } from 'vitest';
import { buildAnswerEmbed, embedLength } from '../../src/bot/format/answer-message.ts';
import { DISCORD_LIMITS, safeText, trimText } from '../../src/bot/format/text.ts';
import { RateLimiter } from '../../src/bot/rate-limiter.ts';
import type { Answer } from '../../src/engine/types.ts';

describe('trimText', () => {
  it('keeps short text as it is', () => {
    expect(trimText('Short enough.', 50)).toBe('Short enough.');
  });

  it('cuts at the last sentence end that fits', () => {
    const text = 'First sentence is here. Second sentence is a little longer. Third one will not fit at all.';
    expect(trimText(text, 70)).toBe('First sentence is here. Second sentence is a little longer.…');
  });

  it('falls back to a word boundary and never splits an emoji', () => {
    const text = 'word '.repeat(30) + '😀😀😀';
    const trimmed = trimText(text, 40);
    expect(trimmed.length).toBeLessThanOrEqual(40);
    expect(trimmed).toMatch(/word…$/);
    const emoji = trimText('😀'.repeat(30), 11);
    expect(emoji.endsWith('…')).toBe(true);
    expect(emoji.toWellFormed()).toBe(emoji);
  });
});

describe('safeText', () => {
  it('makes @everyone, @here, user, role and channel mentions inert', () => {
    const text = safeText('Hi @everyone and @here, ask <@123> or <@!456> or <@&789> in <#42>');
    expect(text).not.toMatch(/@everyone|@here|<@\d|<@!\d|<@&\d|<#\d/);
    expect(text).toContain('@\u200beveryone');
  });

  it('escapes Markdown that would change the layout', () => {
    expect(safeText('**bold** _it_ `code` > quote')).toBe('\\*\\*bold\\*\\* \\_it\\_ \\`code\\` > quote');
  });
});

describe('buildAnswerEmbed', () => {
  const passage = (text: string, i: number) => ({ document: `doc-${i}.md`, title: 'T'.repeat(300), section: 'S', paragraphNumber: i, score: 0.5, text, start: 0, end: text.length, highlights: [] });

  it('stays within every Discord embed limit with five huge passages', () => {
    const answer: Answer = {
      question: 'why '.repeat(400),
      mode: 'hybrid',
      answered: true,
      more: false,
      passages: [1, 2, 3, 4, 5].map((i) => passage('A long sentence about limits. '.repeat(300), i)),
    };
    const embed = buildAnswerEmbed(answer);
    expect(embed.title!.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedTitle);
    for (const field of embed.fields!) {
      expect(field.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
      expect(field.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
      expect(field.value).toMatch(/limits\.…\n— `doc-\d\.md` · relevance 50%$/);
    }
    expect(embedLength(embed)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
  });

  it('says keyword mode in the footer when no model is loaded', () => {
    const embed = buildAnswerEmbed({ question: 'q', mode: 'keyword', answered: true, more: false, passages: [passage('x', 1)] });
    expect(embed.footer!.text).toMatch(/keyword search only/);
  });
});

describe('RateLimiter', () => {
  it('allows N questions a minute per member and tells the wait', () => {
    let now = 0;
    const limiter = new RateLimiter(2, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('b')]).toEqual([0, 0, 0]);
    now = 15_000;
    expect(limiter.take('a')).toBe(45);
    now = 60_000;
    expect(limiter.take('a')).toBe(0);
  });
});
