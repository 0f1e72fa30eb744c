import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { startBot, type RunningBot } from '../../src/bot/start-bot.ts';
import { silentLogger } from '../../src/logger.ts';
import { FakeDiscord, type FakeCommandOption, type FakeUser } from '../fake-discord/fake-discord.ts';
import { makeDataDir, tinyModelEnv } from '../support/engine-fixture.ts';

const GUILD_A = '100000000000000001';
const GUILD_B = '100000000000000002';
const GENERAL_A = '200000000000000001';
const API_HELP_A = '200000000000000002';
const GENERAL_B = '200000000000000003';
const OWNER = { id: '300000000000000009', username: 'owner' };
const MEMBER: FakeUser = { id: '300000000000000002', username: 'member' };
const ADMIN_PERMISSIONS = String(PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel);
const PLAIN = String(PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel);

const DOCS = {
  'handbook.md': [
    '# Handbook',
    '',
    '## Passwords',
    '',
    'To reset your account password, open Settings, choose Security and press the reset password button.',
    '',
    '## Password rules',
    '',
    'A new account password needs twelve characters; the reset link in the email expires after one hour.',
  ].join('\n'),
  'api/tokens.md': '# API tokens\n\nTo reset an API token password, revoke the token on the developer page and create a new one.',
};

let fake: FakeDiscord;
let bot: RunningBot;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  const channels = { [GUILD_A]: [GENERAL_A, API_HELP_A], [GUILD_B]: [GENERAL_B] };
  for (const [id, ids] of Object.entries(channels)) {
    fake.addGuild({ id, name: `Guild ${id.slice(-1)}`, owner_id: OWNER.id, roles: [{ id, name: '@everyone', permissions: '309237730304' }], channels: ids.map((channel, i) => ({ id: channel, type: 0, name: i === 1 ? 'api-help' : 'general' })) });
  }
  const dataDir = makeDataDir(DOCS);
  const env = tinyModelEnv(dataDir, { DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.restApiUrl, SEARCH_MODE: 'keyword', MESSAGE_CONTENT_INTENT: 'true', TOP_K: '3', RATE_LIMIT_PER_MINUTE: '0' });
  bot = await startBot({ config: parseConfig(env, dataDir), logger: silentLogger });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

async function settings(subcommand: string, options: FakeCommandOption[] = [], as: { guildId?: string; user?: FakeUser; permissions?: string } = {}) {
  const guildId = as.guildId ?? GUILD_A;
  const handle = fake.sendCommand({
    guildId,
    channelId: guildId === GUILD_A ? GENERAL_A : GENERAL_B,
    user: as.user ?? OWNER,
    memberPermissions: as.permissions ?? ADMIN_PERMISSIONS,
    name: 'settings',
    options: [{ name: subcommand, type: 1, options }],
  });
  return (await handle.callback).data.content as string;
}

async function ask(question: string, channelId = GENERAL_A, guildId = GUILD_A) {
  const handle = fake.sendCommand({ guildId, channelId, user: MEMBER, memberPermissions: PLAIN, name: 'ask', options: [{ name: 'question', type: 3, value: question }] });
  const callback = await handle.callback;
  const data = callback.type === 4 ? callback.data : (await handle.nextEdit()).data;
  return { embed: data.embeds[0], flags: callback.data.flags as number | undefined };
}

const documentsOf = (embed: { fields?: { value: string }[] }) => (embed.fields ?? []).map((field) => /`([^`]+)` · relevance/.exec(field.value)?.[1]);

describe('/settings', () => {
  it('adds a Q&A channel: its messages are answered from the next one on, in that server only', async () => {
    const before = fake.sendMessage({ guildId: GUILD_A, channelId: API_HELP_A, author: MEMBER, content: 'How do I reset my account password?' });
    expect(await settings('qa-channel', [{ name: 'channel', type: 7, value: API_HELP_A }, { name: 'enabled', type: 5, value: true }])).toContain(`Q&A channels (every message is a question): <#${API_HELP_A}>`);
    const after = fake.sendMessage({ guildId: GUILD_A, channelId: API_HELP_A, author: MEMBER, content: 'How do I reset my account password?' });
    const answer = await fake.waitForChannelMessage((message) => message.channelId === API_HELP_A);
    expect(answer.body.message_reference.message_id).toBe(after.id);
    expect(answer.body.embeds[0].fields[0].value).toContain('reset');
    expect(fake.channelMessages.filter((message) => message.body.message_reference?.message_id === before.id)).toEqual([]);
    expect(await settings('show', [], { guildId: GUILD_B })).toContain('Q&A channels (every message is a question): none *(default)*');
  });

  it('limits a channel to one document: questions there are answered from it alone, elsewhere from all', async () => {
    expect(documentsOf((await ask('How do I reset a password?', API_HELP_A)).embed)).toEqual(expect.arrayContaining(['handbook.md', 'api/tokens.md']));
    const refused = await settings('channel-documents', [{ name: 'channel', type: 7, value: API_HELP_A }, { name: 'documents', type: 3, value: 'api/tokens.md, nope.md' }]);
    expect(refused).toContain('Unknown document: `nope.md`');
    expect(await settings('channel-documents', [{ name: 'channel', type: 7, value: API_HELP_A }, { name: 'documents', type: 3, value: 'api/tokens.md' }])).toContain(`<#${API_HELP_A}>: \`api/tokens.md\``);

    expect(documentsOf((await ask('How do I reset a password?', API_HELP_A)).embed)).toEqual(['api/tokens.md']);
    expect(documentsOf((await ask('How do I reset a password?', GENERAL_A)).embed)).toContain('handbook.md');
    // The Q&A channel path obeys the same limit.
    const message = fake.sendMessage({ guildId: GUILD_A, channelId: API_HELP_A, author: MEMBER, content: 'How do I reset a password?' });
    const answer = await fake.waitForChannelMessage((recorded) => recorded.body.message_reference?.message_id === message.id);
    expect(documentsOf(answer.body.embeds[0])).toEqual(['api/tokens.md']);

    await settings('channel-documents', [{ name: 'channel', type: 7, value: API_HELP_A }]);
    expect(documentsOf((await ask('How do I reset a password?', API_HELP_A)).embed)).toContain('handbook.md');
  });

  it('applies the threshold and the passages per answer at once, and back to the defaults when left out', async () => {
    expect((await ask('How do I reset my account password?')).embed.fields.length).toBeGreaterThan(1);
    await settings('passages', [{ name: 'count', type: 4, value: 1 }]);
    expect((await ask('How do I reset my account password?')).embed.fields).toHaveLength(1);

    await settings('threshold', [{ name: 'value', type: 10, value: 1 }]);
    expect((await ask('How do I reset my account password?')).embed.description).toContain('No confident match');
    expect((await ask('How do I reset my account password?', GENERAL_B, GUILD_B)).embed.fields.length).toBeGreaterThan(1); // B keeps its defaults

    await settings('threshold');
    await settings('passages');
    expect((await ask('How do I reset my account password?')).embed.fields.length).toBeGreaterThan(1);
  });

  it("applies the threshold the server's votes support, and refuses while they support none", async () => {
    // 👎 on answers given with confidence 0.30-0.34, 👍 on answers at 0.60-0.69: withholding below ~0.35 is best.
    const vote = (server: string, confidence: number, up: boolean, i: number) => {
      const questionId = bot.knowledgeLog.recordQuestion({
        server, channel: GENERAL_A, userId: `4000000000000000${10 + i}`, via: 'command', text: `question ${i}`, link: undefined,
        mode: 'keyword', answered: true, confidence, latencyMs: 5, passages: [{ document: 'handbook.md', section: 'Passwords', paragraph: 1, score: confidence }],
      });
      bot.knowledgeLog.recordFeedback({ server, questionId, userId: `5000000000000000${10 + i}`, vote: up ? 'up' : 'down', question: `question ${i}`, confidence, passages: [] });
    };
    for (let i = 0; i < 5; i++) vote(GUILD_A, 0.3 + i / 100, false, i);
    for (let i = 0; i < 10; i++) vote(GUILD_A, 0.6 + i / 100, true, 10 + i);
    const suggested = bot.knowledgeLog.suggestThreshold(GUILD_A).threshold!;
    expect(suggested).toBeGreaterThan(0.34);
    expect(suggested).toBeLessThanOrEqual(0.6);

    const reply = await settings('threshold', [{ name: 'suggested', type: 5, value: true }]);
    expect(reply).toContain('✅ Saved');
    expect(reply).toContain(`threshold: ${suggested}`);
    // Server B has no votes: nothing to apply, and nothing changed.
    const refused = await settings('threshold', [{ name: 'suggested', type: 5, value: true }], { guildId: GUILD_B });
    expect(refused).toMatch(/The votes support no threshold yet \(only 0 👍 and 0 👎.*Nothing was changed\./);
    expect(await settings('show', [], { guildId: GUILD_B })).toContain("threshold: the configured one");
    await settings('threshold');
  });

  it('makes /ask answers public by default, and answers Q&A-channel questions in threads', async () => {
    expect((await ask('How do I reset my account password?')).flags).toBe(64);
    await settings('public-answers', [{ name: 'value', type: 5, value: true }]);
    expect((await ask('How do I reset my account password?')).flags).toBeUndefined();
    expect((await ask('How do I reset my account password?', GENERAL_B, GUILD_B)).flags).toBe(64);

    await settings('answer-in-thread', [{ name: 'value', type: 5, value: true }]);
    const question = fake.sendMessage({ guildId: GUILD_A, channelId: API_HELP_A, author: MEMBER, content: 'What do password rules require?' });
    await fake.waitForRequest((request) => request.method === 'POST' && request.path === `/channels/${API_HELP_A}/messages/${question.id}/threads`);
    expect((await fake.waitForChannelMessage((message) => message.channelId === question.id)).body.embeds[0].title).toBe('Q: What do password rules require?');
    expect(await settings('reset')).toContain('Answer in a thread: no *(default)*');
  });

  it('refuses every change to a member without rights, and changes nothing', async () => {
    const before = await settings('show');
    for (const [subcommand, options] of [
      ['threshold', [{ name: 'value', type: 10, value: 1 }]],
      ['qa-channel', [{ name: 'channel', type: 7, value: GENERAL_A }, { name: 'enabled', type: 5, value: true }]],
      ['show', []],
      ['reset', []],
    ] as const) {
      expect(await settings(subcommand, [...options], { user: MEMBER, permissions: PLAIN })).toContain('Only server admins');
    }
    expect(await settings('show')).toBe(before);
  });
});
