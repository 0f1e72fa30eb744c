import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config.ts';
import { startBot, type RunningBot } from '../../../src/bot/start-bot.ts';
import type { Logger } from '../../../src/logger.ts';
import { FakeDiscord } from '../../fake-discord/fake-discord.ts';
import { makeDataDir, tinyModelEnv } from '../../support/engine-fixture.ts';
import { freePort, metricSample as sample } from '../../support/bot-process.ts';
import { postgresUnavailable, startTestPostgres, type TestPostgres } from '../../support/postgres/test-postgres.ts';
import { waitFor } from '../../support/wait-for.ts';

const GUILD = '100000000000000001';
const CHANNEL = '200000000000000001';
const MEMBER = { id: '300000000000000001', username: 'member' };
const PLAIN = String(PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel);
/** The test server trusts every connection, so any password is accepted: it must show up nowhere. */
const PASSWORD = 'hunter2-do-not-print';

const skip = postgresUnavailable();
let server: TestPostgres;
let fake: FakeDiscord;
let bot: RunningBot;
let base: string;
const logged: string[] = [];
const logger: Logger = {
  debug: (message) => logged.push(message),
  info: (message) => logged.push(message),
  warn: (message) => logged.push(message),
  error: (message) => logged.push(message),
};

async function get(pathname: string) {
  const response = await fetch(base + pathname);
  return { status: response.status, text: await response.text() };
}

const health = async () => {
  const { status, text } = await get('/healthz');
  expect(text).not.toContain(PASSWORD);
  return { status, body: JSON.parse(text) as { ready: boolean; reason?: string; store?: { healthy: boolean; reason?: string } } };
};

beforeAll(async () => {
  if (skip) return;
  server = await startTestPostgres();
  fake = await FakeDiscord.start();
  fake.addGuild({ id: GUILD, name: 'Guild', owner_id: '1', roles: [{ id: GUILD, name: '@everyone', permissions: PLAIN }], channels: [{ id: CHANNEL, type: 0, name: 'general' }] });
  const dataDir = makeDataDir({ 'handbook.md': '# Handbook\n\nGame night happens every Friday at eight in the evening in the voice lounge.' });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const url = server.url.replace('postgres@', `postgres:${PASSWORD}@`);
  const env = tinyModelEnv(dataDir, { SEARCH_MODE: 'keyword', STORE: 'postgres', DATABASE_URL: url, INDEX_WATCH_MS: '1000' });
  const config = parseConfig({ ...env, DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.restApiUrl, RATE_LIMIT_PER_MINUTE: '1000', METRICS_PORT: String(port) }, dataDir);
  // The engine in its own process, as the bot runs it: store health crosses the process boundary.
  bot = await startBot({ config, logger });
}, 120_000);

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
  await server?.dispose();
});

const ask = (question: string) => fake.sendCommand({ guildId: GUILD, channelId: CHANNEL, user: MEMBER, memberPermissions: PLAIN, name: 'ask', options: [{ name: 'question', type: 3, value: question }] }).callback;

describe.skipIf(skip)('/healthz and /metrics with STORE=postgres when the database goes away and comes back', { timeout: 180_000 }, () => {
  it('stays ready, says the store is down and why, answers from memory, and recovers', async () => {
    await waitFor(async () => (await health()).status === 200, 'the bot to be ready', 60_000, 100);
    expect((await health()).body).toEqual({ ready: true, shards: [0], store: { healthy: true } });
    expect(sample((await get('/metrics')).text, 'docqa_store_up')).toBe(1);

    await server.kill();
    await waitFor(async () => (await health()).body.store?.healthy === false, '/healthz to report the store down', 60_000, 100);
    const down = await health();
    expect(down.status).toBe(200);
    expect(down.body.ready).toBe(true);
    expect(down.body.store?.reason).toMatch(/not listening for new generations|unreachable/);
    expect(sample((await get('/metrics')).text, 'docqa_store_up')).toBe(0);
    expect((await ask('When is game night?')).data.embeds[0].fields[0].value).toContain('Game night');

    await server.start();
    await waitFor(async () => (await health()).body.store?.healthy === true, '/healthz to report the store back', 60_000, 100);
    expect((await health()).body).toEqual({ ready: true, shards: [0], store: { healthy: true } });
    expect(sample((await get('/metrics')).text, 'docqa_store_up')).toBe(1);
    expect((await get('/metrics')).text).not.toContain(PASSWORD);
    expect(logged.join('\n')).not.toContain(PASSWORD);
  });
});
