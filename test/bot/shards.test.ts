import path from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../fake-discord/fake-discord.ts';
import { freePort, metricSample, scrape, startBotProcess, waitUntilHealthy, type BotProcess } from '../support/bot-process.ts';
import { makeDataDir, tinyModelEnv, writeDocuments } from '../support/engine-fixture.ts';
import { waitFor } from '../support/wait-for.ts';
import { PostgresDatabases } from '../store/postgres-store/postgres-database.ts';

// (id >> 22) % 2: GUILD_A belongs to shard 0, GUILD_B to shard 1.
const GUILD_A = '100000000000000001';
const GUILD_B = '100000000004194305';
const CHANNEL: Record<string, string> = { [GUILD_A]: '200000000000000001', [GUILD_B]: '200000000000000002' };
const ADMIN = { id: '300000000000000002', username: 'admin' };
const MANAGE_GUILD = String(PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel);
const DOCS = { 'handbook.md': '# Handbook\n\nGame night happens every Friday at eight in the evening in the voice lounge.' };

let fake: FakeDiscord;
let dataDir: string;

beforeAll(async () => {
  fake = await FakeDiscord.start({ recommendedShards: 2 });
  for (const id of [GUILD_A, GUILD_B]) {
    fake.addGuild({ id, name: `Guild ${id}`, owner_id: ADMIN.id, roles: [{ id, name: '@everyone', permissions: MANAGE_GUILD }], channels: [{ id: CHANNEL[id]!, type: 0, name: 'general' }] });
  }
});

afterAll(() => fake?.stop());

function command(guildId: string, name: string, options: { name: string; type: number; value: unknown }[] = []) {
  return fake.sendCommand({ guildId, channelId: CHANNEL[guildId]!, user: ADMIN, memberPermissions: MANAGE_GUILD, name, options });
}
const ask = async (guildId: string, question: string) =>
  String((await command(guildId, 'ask', [{ name: 'question', type: 3, value: question }]).callback).data.embeds[0].fields?.[0]?.value ?? 'no match');

async function reindex(guildId: string): Promise<string> {
  const handle = command(guildId, 'reindex');
  let edit = await handle.nextEdit();
  while (!/Reindexed|wrong|running/.test(edit.data.content)) edit = await handle.nextEdit();
  return edit.data.content;
}

const env = (extra: Record<string, string>) => ({
  ...tinyModelEnv(dataDir, { SEARCH_MODE: 'keyword', RATE_LIMIT_PER_MINUTE: '1000', EMBEDDING_WORKERS: '1' }),
  DISCORD_TOKEN: fake.token,
  DISCORD_API_URL: fake.restApiUrl,
  ...extra,
});

/** Where both shard processes keep the index: the one folder they share, or one PostgreSQL database. */
const STORES: { readonly name: string; readonly env: () => Promise<Record<string, string>>; readonly stop: () => Promise<void> }[] = [
  { name: 'one index folder', env: async () => ({}), stop: async () => {} },
  (() => {
    let databases: PostgresDatabases | null = null;
    return {
      name: 'one PostgreSQL store (STORE=postgres, new generations by NOTIFY)',
      env: async () => {
        databases = await PostgresDatabases.start();
        return { STORE: 'postgres', DATABASE_URL: await databases.create() };
      },
      stop: async () => databases?.server.dispose(),
    };
  })(),
];

describe.each(STORES)('two shard processes (SHARD_IDS + SHARD_COUNT, as on two machines), $name', (store) => {
  const bots: BotProcess[] = [];
  const bases: string[] = [];

  beforeAll(async () => {
    dataDir = makeDataDir(DOCS);
    const storeEnv = await store.env();
    for (const shard of [0, 1]) {
      const port = await freePort();
      bases.push(`http://127.0.0.1:${port}`);
      bots.push(startBotProcess('src/bot/main.ts', env({ ...storeEnv, SHARD_IDS: String(shard), SHARD_COUNT: '2', METRICS_PORT: String(port) })));
      // One after the other: the first builds the index, the second loads it.
      await waitUntilHealthy(bots[shard]!, bases[shard]!);
    }
  }, 180_000); // two bot processes (and a database) starting one after the other, on a busy CI machine too

  afterAll(async () => {
    for (const bot of bots) expect(await bot.stop()).toBe(0);
    await store.stop();
  });

  it('each process answers only its own servers\' questions', async () => {
    const before = await Promise.all(bases.map(scrape));
    expect(await ask(GUILD_A, 'When is game night?')).toContain('Game night');
    expect(await ask(GUILD_B, 'When is game night?')).toContain('Game night');
    expect(await ask(GUILD_B, 'Which evening is game night in the voice lounge?')).toContain('voice lounge');
    const after = await Promise.all(bases.map(scrape));
    const answered = (shard: number) => metricSample(after[shard]!, 'docqa_questions_total{outcome="answered"}') - metricSample(before[shard]!, 'docqa_questions_total{outcome="answered"}');
    expect([answered(0), answered(1)]).toEqual([1, 2]);
    expect(metricSample(after[0]!, 'docqa_gateway_shard_ready{shard="0"}')).toBe(1);
    expect(after[0]).not.toContain('shard="1"');
    expect(metricSample(after[1]!, 'docqa_gateway_shard_ready{shard="1"}')).toBe(1);
  });

  it('a reindex through one shard is answered by the other once it has loaded the new generation', async () => {
    writeDocuments(path.join(dataDir, 'docs'), { 'ferry.md': '# Ferry\n\nThe ferry to the island leaves the harbour every hour, from six in the morning.' });
    expect(await ask(GUILD_B, 'When does the ferry leave the harbour?')).not.toContain('ferry to the island');
    const generation = metricSample(await scrape(bases[1]!), 'docqa_index_generation');
    expect(await reindex(GUILD_A)).toMatch(/Reindexed .*1 added/);
    // Shard 1 learns of the commit from the index folder (fs.watch, or its INDEX_WATCH_MS poll) or by NOTIFY: no event to await here.
    await waitFor(async () => metricSample(await scrape(bases[1]!), 'docqa_index_generation') > generation, 'shard 1 to load the new generation', 30_000, 50);
    expect(await ask(GUILD_B, 'When does the ferry leave the harbour?')).toContain('ferry to the island');
  });
});

describe('npm run start:sharded (ShardingManager), SHARDS=auto', () => {
  let launcher: BotProcess;
  let base: string;

  beforeAll(async () => {
    dataDir = makeDataDir(DOCS);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    launcher = startBotProcess('src/bot/sharded-main.ts', env({ SHARDS: 'auto', SHARD_SPAWN_DELAY_MS: '0', METRICS_PORT: String(port) }));
    await waitUntilHealthy(launcher, base);
  });

  it('starts the shard count Discord recommends, one process each, and serves the machine\'s health and metrics on one port', async () => {
    expect(launcher.stderr()).toMatch(/Starting shards 0,1 of 2/);
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ ready: true, shards: [0, 1], store: { healthy: true } });
    const before = await scrape(base);
    expect(await ask(GUILD_A, 'When is game night?')).toContain('Game night');
    expect(await ask(GUILD_B, 'When is game night?')).toContain('Game night');
    const after = await scrape(base);
    const moved = metricSample(after, 'docqa_questions_total{outcome="answered"}') - metricSample(before, 'docqa_questions_total{outcome="answered"}');
    expect(moved).toBe(2);
    expect(metricSample(after, 'docqa_gateway_shard_ready{shard="0"}')).toBe(1);
    expect(metricSample(after, 'docqa_gateway_shard_ready{shard="1"}')).toBe(1);
    // Both shards hold the same index: the machine's figure is that index's, not twice it.
    expect(metricSample(after, 'docqa_paragraphs_indexed')).toBe(1);
  });

  it('SIGTERM to the launcher stops every shard cleanly and exits 0', async () => {
    expect(await launcher.stop()).toBe(0);
    const log = launcher.stderr();
    expect(log).toMatch(/SIGTERM: stopping 2 shards/);
    expect(log.match(/INFO  Stopped\./g)).toHaveLength(2);
    expect(log).toMatch(/All shards stopped\./);
    expect(log).not.toMatch(/restarting it|ERROR/);
    expect(fake.hasSession).toBe(false);
  });
});
