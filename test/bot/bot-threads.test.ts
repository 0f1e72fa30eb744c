import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { startBot, type RunningBot } from '../../src/bot/start-bot.ts';
import { silentLogger } from '../../src/logger.ts';
import { FakeDiscord } from '../fake-discord/fake-discord.ts';
import { makeDataDir, tinyModelEnv } from '../support/engine-fixture.ts';

const GUILD = '100000000000000001';
const TEXT = '200000000000000001';
const MEMBER = { id: '300000000000000001', username: 'member' };

let fake: FakeDiscord;
let bot: RunningBot;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  fake.addGuild({ id: GUILD, name: 'Guild', owner_id: MEMBER.id, roles: [{ id: GUILD, name: '@everyone', permissions: '309237730304' }], channels: [{ id: TEXT, type: 0, name: 'general' }] });
  const dataDir = makeDataDir({ 'events.md': '# Events\n\nGame night happens every Friday at eight in the evening in the voice lounge.' });
  const config = parseConfig(tinyModelEnv(dataDir, { DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.restApiUrl, ANSWER_IN_THREAD: 'true', SEARCH_MODE: 'keyword' }), dataDir);
  bot = await startBot({ config, logger: silentLogger });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

describe('ANSWER_IN_THREAD', () => {
  it('answers a mention in a new thread on the question, named after it', async () => {
    const question = fake.sendMessage({ guildId: GUILD, channelId: TEXT, author: MEMBER, content: `<@${fake.botUserId}> When is game night?`, mentions: [fake.botUser] });
    const thread = await fake.waitForRequest((request) => request.method === 'POST' && request.path === `/channels/${TEXT}/messages/${question.id}/threads`);
    expect(thread.body.name).toBe('When is game night?');
    const answer = await fake.waitForChannelMessage((message) => message.channelId !== TEXT && message.body.embeds?.length > 0);
    expect(answer.body.embeds[0].fields[0].value).toContain('Game night happens every Friday');
    expect(answer.body.allowed_mentions).toMatchObject({ parse: [] });
  });
});
