import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config.ts';
import { startBot, type RunningBot } from '../../../src/bot/start-bot.ts';
import { silentLogger } from '../../../src/logger.ts';
import { FakeDiscord } from '../../fake-discord/fake-discord.ts';
import { makeDataDir, tinyModelEnv } from '../../support/engine-fixture.ts';
import { freePort, metricSample as sample } from '../../support/bot-process.ts';
import { OPEN_GATE } from '../../support/gated-engine.ts';
import { waitFor } from '../../support/wait-for.ts';

const GUILD = '100000000000000001';
const CHANNEL = '200000000000000001';
const MEMBER = { id: '300000000000000001', username: 'member' };
const PLAIN = String(PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel);
const GATED_ENGINE = fileURLToPath(new URL('../../support/gated-engine.ts', import.meta.url));

let fake: FakeDiscord;
let bot: RunningBot;
let dataDir: string;
let base: string;
let earlyHealth: { status: number; body: unknown };

async function get(pathname: string) {
  const response = await fetch(base + pathname);
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

beforeAll(async () => {
  fake = await FakeDiscord.start();
  fake.addGuild({ id: GUILD, name: 'Guild', owner_id: '1', roles: [{ id: GUILD, name: '@everyone', permissions: PLAIN }], channels: [{ id: CHANNEL, type: 0, name: 'general' }] });
  dataDir = makeDataDir({ 'handbook.md': '# Handbook\n\nGame night happens every Friday at eight in the evening in the voice lounge.' });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const config = parseConfig({ ...tinyModelEnv(dataDir, { SEARCH_MODE: 'keyword' }), DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.restApiUrl, RATE_LIMIT_PER_MINUTE: '1000', METRICS_PORT: String(port) }, dataDir);
  const starting = startBot({ config, logger: silentLogger, engineModule: GATED_ENGINE });
  starting.catch(() => undefined);
  // The server is up before the engine: poll until it answers (connection refused until then).
  await waitFor(async () => fetch(`${base}/healthz`).then(async (response) => ((earlyHealth = { status: response.status, body: await response.json() }), true), () => false), 'the metrics server', 60_000);
  fs.writeFileSync(path.join(dataDir, OPEN_GATE), '');
  bot = await starting;
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

const ask = (question: string) => fake.sendCommand({ guildId: GUILD, channelId: CHANNEL, user: MEMBER, memberPermissions: PLAIN, name: 'ask', options: [{ name: 'question', type: 3, value: question }] }).callback;

describe('METRICS_PORT', () => {
  it('/healthz is 503 with the reason while the engine opens, 200 once model, index and gateway are up', async () => {
    expect(earlyHealth).toEqual({ status: 503, body: { ready: false, reason: 'engine starting: loading the model and the index' } });
    expect(bot.metricsUrl).toBe(base);
    const ready = await get('/healthz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toEqual({ ready: true, shards: [0], store: { healthy: true } });
  });

  it('/healthz says which gateway shard is down while it reconnects', async () => {
    const reconnected = new Promise((resolve) => bot.client.once('shardResume', resolve));
    const dropped = new Promise((resolve) => bot.client.once('shardReconnecting', resolve));
    fake.closeGatewayConnections(4000);
    await dropped;
    const down = await get('/healthz');
    expect(down.status).toBe(503);
    expect(JSON.parse(down.text).reason).toMatch(/^gateway shard 0: /);
    await reconnected;
    expect((await get('/healthz')).status).toBe(200);
  });

  it('/metrics counts questions by outcome and times them', async () => {
    const before = (await get('/metrics')).text;
    expect((await ask('When is game night?')).data.embeds[0].fields[0].value).toContain('Game night');
    await ask('How do I configure Kubernetes ingress controllers?');
    await ask('🙂 🙂');
    const metrics = await get('/metrics');
    expect(metrics.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const moved = (name: string) => sample(metrics.text, name) - sample(before, name);
    expect(moved('docqa_questions_total{outcome="answered"}')).toBe(1);
    expect(moved('docqa_questions_total{outcome="no_match"}')).toBe(1);
    expect(moved('docqa_questions_total{outcome="rejected"}')).toBe(1);
    expect(moved('docqa_answer_seconds_count')).toBe(3);
    expect(sample(metrics.text, 'docqa_paragraphs_indexed')).toBe(1);
    expect(sample(metrics.text, 'docqa_search_mode{mode="keyword"}')).toBe(1);
    expect(sample(metrics.text, 'docqa_gateway_shard_ready{shard="0"}')).toBe(1);
    expect(sample(metrics.text, 'docqa_question_queue_depth')).toBe(0);
    expect(sample(metrics.text, 'docqa_reindex_seconds_count{operation="initial"}')).toBe(1);
    expect(metrics.text).toContain('docqa_store_errors_total');
  });

  it('answers 404 elsewhere', async () => {
    expect((await get('/')).status).toBe(404);
  });
});
