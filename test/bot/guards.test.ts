import { MessageFlags, PermissionFlagsBits, PermissionsBitField } from 'discord.js';
import { describe, expect, it } from 'vitest';
import ask from '../../commands/ask.ts';
import { accepting } from '../../src/bot/guards/accepting.ts';
import { admin } from '../../src/bot/guards/admin.ts';
import { firstRefusal, type Guard, type GuardContext, type GuardRequest } from '../../src/bot/guards/guard.ts';
import { guildOnly } from '../../src/bot/guards/guild-only.ts';
import { rateLimit } from '../../src/bot/guards/rate-limit.ts';
import { createInteractionRouter } from '../../src/bot/interaction-router.ts';
import { createMessageHandler } from '../../src/bot/message-questions.ts';
import { RateLimiter } from '../../src/bot/rate-limiter.ts';
import { fakeContext, fakeInteraction, fakeKnowledge, fakeMessage } from '../support/fake-interaction.ts';

function request(init: { userId?: string; guildId?: string | null; permissions?: bigint; roles?: string[] } = {}): GuardRequest {
  return {
    userId: init.userId ?? '42',
    guildId: init.guildId === undefined ? '111' : init.guildId,
    member: { memberPermissions: new PermissionsBitField(init.permissions ?? 0n), member: { roles: init.roles ?? [] } } as never,
  };
}

function guardContext(init: { accepting?: boolean; perMinute?: number } = {}): GuardContext {
  const { context } = fakeContext(fakeKnowledge().knowledge, { rateLimiter: new RateLimiter(init.perMinute ?? 3, () => 0) });
  return { ...context, accepting: () => init.accepting ?? true };
}

describe('guards', () => {
  it('accepting refuses while the bot is stopping and lets through otherwise', () => {
    expect(accepting.check(request(), guardContext({ accepting: false }))).toBe('The bot is restarting; please try again in a minute.');
    expect(accepting.check(request(), guardContext())).toBeUndefined();
  });

  it('guildOnly refuses outside a server and lets through in one', () => {
    expect(guildOnly.check(request({ guildId: null }), guardContext())).toBe('This command can only be used in a server.');
    expect(guildOnly.check(request(), guardContext())).toBeUndefined();
  });

  it('admin refuses a plain member and lets through Manage Server or an ADMIN_ROLE_IDS role', () => {
    expect(admin.check(request(), guardContext())).toBe('Only server admins (Manage Server permission or an admin role) can use this command.');
    expect(admin.check(request({ roles: ['901'] }), guardContext())).toBeDefined();
    expect(admin.check(request({ permissions: PermissionFlagsBits.ManageGuild }), guardContext())).toBeUndefined();
    expect(admin.check(request({ roles: ['900'] }), guardContext())).toBeUndefined();
  });

  it('rateLimit lets a member through up to the limit, then refuses with the wait; other members are not affected', () => {
    const context = guardContext({ perMinute: 2 });
    expect(rateLimit.check(request(), context)).toBeUndefined();
    expect(rateLimit.check(request(), context)).toBeUndefined();
    expect(rateLimit.check(request(), context)).toBe("You're asking quickly! Please wait 60 s before the next question.");
    expect(rateLimit.check(request({ userId: '43' }), context)).toBeUndefined();
  });

  it('firstRefusal returns the first refusal and runs no guard after it', () => {
    const ran: string[] = [];
    const spy = (name: string, refusal?: string): Guard => ({ name, check: () => (ran.push(name), refusal) });
    expect(firstRefusal([spy('a'), spy('b', 'no'), spy('c', 'never')], request(), guardContext())).toBe('no');
    expect(ran).toEqual(['a', 'b']);
    expect(firstRefusal([spy('d')], request(), guardContext())).toBeUndefined();
  });
});

describe('one guard path', () => {
  it('a conversation question and a slash command get the same rate-limit reply text', async () => {
    const { context } = fakeContext(fakeKnowledge().knowledge, { rateLimiter: new RateLimiter(1, () => 0) });
    const router = createInteractionRouter(new Map([['ask', ask]]), context, () => true);
    await router(fakeInteraction({ options: { question: 'q' }, userId: '7' }) as never);
    const slash = fakeInteraction({ options: { question: 'q' }, userId: '7' });
    await router(slash as never);

    const message = fakeMessage({ authorId: '7' });
    await createMessageHandler(context, () => '999', () => true)(message as never);

    expect(slash.sent).toEqual([expect.objectContaining({ kind: 'reply', flags: MessageFlags.Ephemeral, content: "You're asking quickly! Please wait 60 s before the next question." })]);
    expect(message.replies).toEqual([expect.objectContaining({ content: slash.sent[0]!.content })]);
  });
});
