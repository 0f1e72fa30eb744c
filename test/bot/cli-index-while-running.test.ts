import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { startBot, type RunningBot } from '../../src/bot/start-bot.ts';
import { createLogger } from '../../src/logger.ts';
import { FakeDiscord } from '../fake-discord/fake-discord.ts';
import { makeDataDir, tinyModelEnv, writeDocuments } from '../support/engine-fixture.ts';

const GUILD = '100000000000000001';
const CHANNEL = '200000000000000001';
const ADMIN = { id: '300000000000000002', username: 'admin' };
const MANAGE_GUILD = String(PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages);

let fake: FakeDiscord;
let bot: RunningBot;
let dataDir: string;
const logLines: string[] = [];

// Hybrid with the tiny model, and no watching: /reindex itself must notice the CLI's generation.
const env = () => tinyModelEnv(dataDir, { INDEX_WATCH_MS: '0' });

beforeAll(async () => {
  fake = await FakeDiscord.start();
  fake.addGuild({
    id: GUILD,
    name: 'Guild',
    owner_id: ADMIN.id,
    roles: [{ id: GUILD, name: '@everyone', permissions: MANAGE_GUILD }],
    channels: [{ id: CHANNEL, type: 0, name: 'general' }],
  });
  dataDir = makeDataDir({ 'handbook.md': '# Handbook\n\nGame night happens every Friday at eight in the evening in the voice lounge.' });
  const config = parseConfig({ ...env(), DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.restApiUrl, RATE_LIMIT_PER_MINUTE: '1000' }, dataDir);
  bot = await startBot({ config, logger: createLogger({ level: 'debug', secrets: [fake.token], write: (line) => logLines.push(line) }) });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

function command(name: string, options: { name: string; type: number; value: unknown }[] = []) {
  return fake.sendCommand({ guildId: GUILD, channelId: CHANNEL, user: ADMIN, memberPermissions: MANAGE_GUILD, name, options });
}

describe('a CLI index while the bot runs', () => {
  it('/reindex afterwards succeeds and the bot answers from the CLI\'s documents', async () => {
    writeDocuments(path.join(dataDir, 'docs'), { 'ferry.md': '# Ferry\n\nThe ferry to the island leaves the harbour every hour, from six in the morning.' });
    await promisify(execFile)(process.execPath, ['src/bin.mjs', 'index'], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env() } });

    const reindex = command('reindex');
    let edit = await reindex.nextEdit();
    while (!/Reindexed|wrong/.test(edit.data.content)) edit = await reindex.nextEdit();
    expect(edit.data.content).toMatch(/✅ Reindexed in [\d.]+ s: 0 added, 0 changed, 0 removed, 2 unchanged; \d+ paragraphs, 0 embedded\./);

    const answer = await command('ask', [{ name: 'question', type: 3, value: 'When does the ferry leave the harbour?' }]).callback;
    expect(answer.data.embeds[0].fields[0].value).toContain('ferry to the island');
    expect(logLines.join('\n')).not.toMatch(/Hnswlib Error/);
  });
});
