import fs from 'node:fs';
import path from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { startBot, type RunningBot } from '../../src/bot/start-bot.ts';
import { createLogger } from '../../src/logger.ts';
import { FakeDiscord } from '../fake-discord/fake-discord.ts';
import { makeDataDir, tinyModelEnv } from '../support/engine-fixture.ts';

const GUILD = '100000000000000021';
const TEXT = '200000000000000021';
const ADMIN = { id: '300000000000000022', username: 'admin' };
const MANAGE_GUILD = String(PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages);

let fake: FakeDiscord;
let bot: RunningBot;
const logLines: string[] = [];

beforeAll(async () => {
  fake = await FakeDiscord.start();
  fake.addGuild({ id: GUILD, name: 'Guild', owner_id: ADMIN.id, roles: [{ id: GUILD, name: '@everyone', permissions: MANAGE_GUILD }], channels: [{ id: TEXT, type: 0, name: 'general' }] });
  const dataDir = makeDataDir({ 'handbook.md': '# Handbook\n\n## Events\n\nGame night happens every Friday at eight in the evening in the voice lounge.\n' });
  // A knowledge store overwritten by something else: not a SQLite file at all.
  fs.writeFileSync(path.join(dataDir, 'knowledge.db'), Buffer.alloc(8192, 'garbage '));
  const config = parseConfig(tinyModelEnv(dataDir, { DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.restApiUrl, SEARCH_MODE: 'keyword' }), dataDir);
  bot = await startBot({ config, logger: createLogger({ level: 'info', write: (line) => logLines.push(line) }) });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

describe('a corrupt knowledge store', () => {
  it('is logged once, and the bot still answers; a vote is thanked but said not to be recorded', async () => {
    const answer = await fake.sendCommand({ guildId: GUILD, channelId: TEXT, user: ADMIN, name: 'ask', options: [{ name: 'question', type: 3, value: 'When is game night?' }] }).callback;
    expect(answer.data.embeds[0].fields[0].value).toContain('Game night happens every Friday');
    const up = (answer.data.components[0].components as { custom_id: string }[]).find((button) => button.custom_id.startsWith('ask:vote:up:'))!;
    const thanks = await fake.sendButton({ guildId: GUILD, channelId: TEXT, user: ADMIN, customId: up.custom_id }).callback;
    expect(thanks.data.content).toMatch(/Feedback cannot be recorded right now/);
    expect(logLines.filter((line) => /knowledge\.db cannot be opened .*answering without recording/.test(line))).toHaveLength(1);
  });

  it('/stats says the store cannot be read, instead of showing zeros', async () => {
    const reply = await fake.sendCommand({ guildId: GUILD, channelId: TEXT, user: ADMIN, memberPermissions: MANAGE_GUILD, name: 'stats' }).callback;
    expect(reply.data.content).toMatch(/^The knowledge store .* cannot be read right now; the bot log says why\. Questions are still answered/);
    expect(reply.data.flags & 64).toBe(64);
  });
});
