import { describe, expect, it } from 'vitest';
import { groupQuestions, type UnansweredQuestion } from '../../src/knowledge/group-questions.ts';

let next = 1;
const question = (text: string, at: number, extra: Partial<UnansweredQuestion> = {}): UnansweredQuestion => ({
  ref: { kind: 'question', id: next++ },
  text,
  at,
  link: undefined,
  reason: 'no-match',
  ...extra,
});

describe('groupQuestions', () => {
  it('groups wordings that share their terms, most frequent first, with counts, last time and a link', async () => {
    const { groups, method } = await groupQuestions([
      question('How do I reset my password?', 1),
      question('reset password', 5, { reason: 'down', link: 'https://discord.com/channels/1/2/3' }),
      question('Password reset not working', 3),
      question('Where is the API rate limit documented?', 4),
      question('What colour is the logo?', 2),
      question('what colour is the logo', 6),
    ]);
    expect(method).toBe('keywords');
    expect(groups.map((group) => [group.text, group.count, group.lastAt, group.noMatch, group.down])).toEqual([
      ['reset password', 3, 5, 2, 1],
      ['what colour is the logo', 2, 6, 2, 0],
      ['Where is the API rate limit documented?', 1, 4, 1, 0],
    ]);
    expect(groups[0]!.link).toBe('https://discord.com/channels/1/2/3');
    expect(groups[0]!.members).toHaveLength(3);
  });

  it('keeps questions on one topic apart when they ask different things', async () => {
    const { groups } = await groupQuestions([question('reset my password', 1), question('change my email address', 2)]);
    expect(groups).toHaveLength(2);
  });

  it('groups by embedding similarity when vectors are given, whatever the words', async () => {
    const vectors: Record<string, number[]> = {
      'how do I log in': [1, 0, 0],
      'sign-in page is broken': [0.95, 0.1, 0],
      'what does the bot cost': [0, 0, 1],
    };
    const { groups, method } = await groupQuestions(
      [question('how do I log in', 1), question('sign-in page is broken', 2), question('what does the bot cost', 3)],
      { embed: async (texts) => texts.map((text) => vectors[text]!) },
    );
    expect(method).toBe('embedding');
    expect(groups.map((group) => group.count)).toEqual([2, 1]);
    expect(groups[0]!.text).toBe('sign-in page is broken');
  });

  it('falls back to keywords when the embedder has no model', async () => {
    const { method, groups } = await groupQuestions([question('reset password', 1), question('password reset', 2)], { embed: async () => null });
    expect(method).toBe('keywords');
    expect(groups).toHaveLength(1);
  });

  it('keeps emoji-only questions apart from each other unless they are the same text', async () => {
    const { groups } = await groupQuestions([question('🤔', 1), question('🤔', 2), question('❓', 3)]);
    expect(groups.map((group) => group.count)).toEqual([2, 1]);
  });
});
