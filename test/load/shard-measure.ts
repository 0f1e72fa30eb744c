/**
 * Figures for running sharded (a script, not a unit test: it prints figures). Needs a model folder:
 *
 *   node --import tsx test/load/shard-measure.ts --models DIR --model local/all-MiniLM-L6-v2 [--shards 2] [--rounds 5]
 *
 * 1. Memory per shard process: `npm run start:sharded` (SHARDS=N) against the fake Discord, one guild per shard;
 *    once every shard is ready and has answered a question, the RSS of each shard's bot process and of its engine
 *    process (from /proc), with the documents of index-data/docs.
 *    Then the same shards in one process (npm start with SHARD_IDS), which shares one engine between them.
 * 2. Time for a second process to see a new generation: two bot processes on one index folder (SHARD_IDS 0 and 1
 *    of 2, as on two machines); a commit by the CLI (`docqa index`) and by a /reindex through shard 0, timed from
 *    the manifest's mtime to the moment each process's /metrics reports the new generation (polled every 2 ms).
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { PermissionFlagsBits } from 'discord.js';
import { percentile } from '../../src/tools/shared/statistics.ts';
import { FakeDiscord } from '../fake-discord/fake-discord.ts';
import { freePort, metricSample, scrape, startBotProcess, waitUntilHealthy } from '../support/bot-process.ts';

const { values } = parseArgs({
  options: {
    models: { type: 'string' },
    model: { type: 'string', default: 'local/all-MiniLM-L6-v2' },
    shards: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '5' },
    'skip-single': { type: 'boolean', default: false },
  },
});
if (!values.models) throw new Error('--models DIR is required (a MODELS_DIR holding --model)');
const shardCount = Number(values.shards);
const rounds = Number(values.rounds);
const MANAGE = String(PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel);
const ADMIN = { id: '300000000000000002', username: 'admin' };

/** A guild id owned by `shard` of `count`: (id >> 22) % count = shard. */
const guildFor = (shard: number) => String(((1_000_000n * BigInt(shardCount) + BigInt(shard)) << 22n) | 1n);

function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-shards-'));
  fs.cpSync('index-data/docs', path.join(dir, 'docs'), { recursive: true });
  return dir;
}

const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const childrenOf = (pid: number) => execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).split('\n').map(Number).filter((each) => each > 0);

async function main() {
  const fake = await FakeDiscord.start({ recommendedShards: shardCount });
  const guilds = Array.from({ length: shardCount }, (_, shard) => guildFor(shard));
  for (const [index, id] of guilds.entries()) {
    fake.addGuild({ id, name: `G${index}`, owner_id: ADMIN.id, roles: [{ id, name: '@everyone', permissions: MANAGE }], channels: [{ id: String(200000000000000001n + BigInt(index)), type: 0, name: 'general' }] });
  }
  const command = (index: number, name: string, options: { name: string; type: number; value: unknown }[] = []) =>
    fake.sendCommand({ guildId: guilds[index]!, channelId: String(200000000000000001n + BigInt(index)), user: ADMIN, memberPermissions: MANAGE, name, options });
  const baseEnv = (dir: string) => ({ DATA_DIR: dir, MODELS_DIR: values.models!, EMBEDDING_MODEL: values.model!, ALLOW_MODEL_DOWNLOAD: 'false', DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.restApiUrl, RATE_LIMIT_PER_MINUTE: '1000', LOG_LEVEL: 'warn' });

  // 1. Memory per shard process.
  {
    const dir = dataDir();
    const port = await freePort();
    const launcher = startBotProcess('src/bot/sharded-main.ts', { ...baseEnv(dir), SHARDS: String(shardCount), SHARD_SPAWN_DELAY_MS: '0', METRICS_PORT: String(port) });
    await waitUntilHealthy(launcher, `http://127.0.0.1:${port}`, 600_000);
    for (let index = 0; index < shardCount; index++) await command(index, 'ask', [{ name: 'question', type: 3, value: 'Who presided over the executive meeting?' }]).callback;
    const paragraphs = metricSample(await scrape(`http://127.0.0.1:${port}`), 'docqa_paragraphs_indexed');
    console.log(`memory per shard process (${shardCount} shards, ${paragraphs} paragraphs, model ${values.model}); launcher ${rssMiB(launcher.child.pid!).toFixed(0)} MiB`);
    for (const shard of childrenOf(launcher.child.pid!)) {
      const engines = childrenOf(shard);
      const engine = engines.reduce((sum, pid) => sum + rssMiB(pid), 0);
      console.log(`  shard process ${shard}: bot ${rssMiB(shard).toFixed(0)} MiB + engine ${engine.toFixed(0)} MiB = ${(rssMiB(shard) + engine).toFixed(0)} MiB`);
    }
    console.log(`  launcher exit code after SIGTERM: ${await launcher.stop()}`);
  }

  // 1b. The alternative: one process running every shard (npm start with SHARD_IDS), one engine for all of them.
  if (!values['skip-single']) {
    const dir = dataDir();
    const port = await freePort();
    const bot = startBotProcess('src/bot/main.ts', { ...baseEnv(dir), SHARD_COUNT: String(shardCount), SHARD_IDS: `0-${shardCount - 1}`, METRICS_PORT: String(port) });
    await waitUntilHealthy(bot, `http://127.0.0.1:${port}`, 600_000);
    for (let index = 0; index < shardCount; index++) await command(index, 'ask', [{ name: 'question', type: 3, value: 'Who presided over the executive meeting?' }]).callback;
    const engine = childrenOf(bot.child.pid!).reduce((sum, pid) => sum + rssMiB(pid), 0);
    console.log(`one process running shards 0-${shardCount - 1} (npm start, SHARD_IDS): bot ${rssMiB(bot.child.pid!).toFixed(0)} MiB + engine ${engine.toFixed(0)} MiB = ${(rssMiB(bot.child.pid!) + engine).toFixed(0)} MiB`);
    await bot.stop();
  }

  // 2. Time for another process to see a new generation.
  {
    const dir = dataDir();
    const bases: string[] = [];
    const bots = [];
    for (const shard of [0, 1]) {
      const port = await freePort();
      bases.push(`http://127.0.0.1:${port}`);
      bots.push(startBotProcess('src/bot/main.ts', { ...baseEnv(dir), SHARD_IDS: String(shard), SHARD_COUNT: String(Math.max(2, shardCount)), METRICS_PORT: String(port) }));
      await waitUntilHealthy(bots[shard]!, bases[shard]!, 600_000);
    }
    const manifest = path.join(dir, 'index', 'manifest.json');
    const seen = async (base: string, generation: number) => {
      while (metricSample(await scrape(base), 'docqa_index_generation') < generation) await new Promise((resolve) => setTimeout(resolve, 2));
      return Date.now();
    };
    const delays: Record<string, number[]> = { 'CLI → shard 0': [], 'CLI → shard 1': [], '/reindex on shard 0 → shard 1': [] };
    for (let round = 0; round < rounds; round++) {
      const generation = metricSample(await scrape(bases[0]!), 'docqa_index_generation');
      fs.writeFileSync(path.join(dir, 'docs', `cli-${round}.md`), `# Note ${round}\n\nA note written for round ${round} of the generation timing.`);
      const watching = [seen(bases[0]!, generation + 1), seen(bases[1]!, generation + 1)];
      await promisify(execFile)(process.execPath, ['src/bin.mjs', 'index'], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...baseEnv(dir) } });
      const committed = fs.statSync(manifest).mtimeMs;
      const [zero, one] = await Promise.all(watching);
      delays['CLI → shard 0']!.push(zero! - committed);
      delays['CLI → shard 1']!.push(one! - committed);

      fs.writeFileSync(path.join(dir, 'docs', `bot-${round}.md`), `# Memo ${round}\n\nA memo written for round ${round} of the generation timing.`);
      const watched = seen(bases[1]!, generation + 2);
      const handle = command(0, 'reindex');
      let edit = await handle.nextEdit();
      while (!/Reindexed|wrong/.test(edit.data.content)) edit = await handle.nextEdit();
      delays['/reindex on shard 0 → shard 1']!.push((await watched) - fs.statSync(manifest).mtimeMs);
    }
    console.log(`time for another process to see a new generation (${rounds} rounds; manifest mtime → /metrics shows it; fs.watch on, INDEX_WATCH_MS 2000):`);
    for (const [what, values_] of Object.entries(delays)) {
      const sorted = [...values_].sort((a, b) => a - b);
      console.log(`  ${what}: p50 ${percentile(sorted, 50).toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`);
    }
    for (const bot of bots) await bot.stop();
  }
  await fake.stop();
}

await main();
