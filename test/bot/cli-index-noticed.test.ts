import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { startBot, type RunningBot } from '../../src/bot/start-bot.ts';
import { silentLogger } from '../../src/logger.ts';
import { FakeDiscord } from '../fake-discord/fake-discord.ts';
import { makeDataDir, tinyModelEnv, writeDocuments } from '../support/engine-fixture.ts';
import { waitFor } from '../support/wait-for.ts';

const GUILD = '100000000000000001';
const CHANNEL = '200000000000000001';
const MEMBER = { id: '300000000000000001', username: 'member' };
const PLAIN = String(PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel);

let fake: FakeDiscord;
let bot: RunningBot;
let dataDir: string;
// Watching on (the default INDEX_WATCH_MS): the bot must notice the CLI's commit with no command of its own.
const env = () => tinyModelEnv(dataDir, { SEARCH_MODE: 'keyword' });

beforeAll(async () => {
  fake = await FakeDiscord.start();
  fake.addGuild({ id: GUILD, name: 'Guild', owner_id: '1', roles: [{ id: GUILD, name: '@everyone', permissions: PLAIN }], channels: [{ id: CHANNEL, type: 0, name: 'general' }] });
  dataDir = makeDataDir({ 'handbook.md': '# Handbook\n\nGame night happens every Friday at eight in the evening in the voice lounge.' });
  const config = parseConfig({ ...env(), DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.restApiUrl, RATE_LIMIT_PER_MINUTE: '1000' }, dataDir);
  bot = await startBot({ config, logger: silentLogger });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

describe('a running bot (its engine in its own process) and a CLI index', () => {
  it('answers from the documents the CLI indexed once the CLI committed, without a /reindex', async () => {
    const ask = async () =>
      (await fake.sendCommand({ guildId: GUILD, channelId: CHANNEL, user: MEMBER, memberPermissions: PLAIN, name: 'ask', options: [{ name: 'question', type: 3, value: 'When does the ferry leave the harbour?' }] }).callback).data.embeds[0];
    expect((await ask()).description).toMatch(/^No confident match/);
    const before = (await bot.knowledge.stats()).generation;

    writeDocuments(path.join(dataDir, 'docs'), { 'ferry.md': '# Ferry\n\nThe ferry to the island leaves the harbour every hour, from six in the morning.' });
    await promisify(execFile)(process.execPath, ['src/bin.mjs', 'index'], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env() } });
    // The engine process learns of it from the index folder (fs.watch, else its poll): nothing to await but its stats.
    await waitFor(async () => (await bot.knowledge.stats()).generation > before, 'the bot to load the CLI\'s generation', 30_000, 50);
    expect((await ask()).fields[0].value).toContain('ferry to the island');
  });
});
