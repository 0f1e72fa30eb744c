/**
 * Load and soak test of the bot through the fake Discord (a script, not a unit test: it prints figures).
 *
 *   npm run load-test                       # N = 1, 10, 50, 200, 1000, 2000 concurrent members, then a 10,000-question soak
 *   npm run load-test -- --levels 200,1000,2000 --soak 0
 *
 * The index holds at least 10,000 paragraphs (XQuAD English sentences recombined) embedded with the tiny test
 * model, so the whole path runs: gateway dispatch → discord.js → router → engine (embedding + HNSW + BM25) →
 * interaction callback over REST. The bot runs as its own process (`src/bot/main.ts`, as `npm start` runs it), so
 * its RSS is its own and the fake Discord does not share its event loop. "ack" is the time from the
 * INTERACTION_CREATE dispatch to the interaction callback (Discord's 3-second rule); "answer" to the reply that
 * carries the passages (the callback itself, or the edit after a deferral); "busy" counts the questions refused at
 * once with "busy, try again in N s" (the shed rate). Members ask back to back, and a member told "busy" waits the
 * seconds it was told before its next question, as a person would. RSS is the bot's process plus its engine process.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { readXquad, splitSentences } from '../../src/tools/shared/xquad.ts';
import { percentile } from '../../src/tools/eval/metrics.ts';
import { FakeDiscord } from '../fake-discord/fake-discord.ts';
import { writeTinyBert } from '../support/make-tiny-bert.ts';

const { values } = parseArgs({
  options: {
    paragraphs: { type: 'string', default: '10000' },
    levels: { type: 'string', default: '1,10,50,200,1000,2000' },
    soak: { type: 'string', default: '10000' },
    xquad: { type: 'string', default: '../shared/evaldata/xquad/xquad.en.json' },
  },
});
const GUILD = '100000000000000001';
const CHANNEL = '200000000000000001';

const corpus = readXquad(values.xquad!);
const sentences = corpus.paragraphs.flatMap(splitSentences).filter((sentence) => sentence.length > 30);
const questions = corpus.questions;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-load-'));
writeCorpus(path.join(work, 'docs'), Number(values.paragraphs), sentences);
writeTinyBert(path.join(work, 'models', 'test', 'tiny-bert'));

const fake = await FakeDiscord.start();
fake.addGuild({ id: GUILD, name: 'Load', owner_id: '1', roles: [{ id: GUILD, name: '@everyone', permissions: '3072' }], channels: [{ id: CHANNEL, type: 0, name: 'general' }] });
const indexStart = performance.now();
const bot = spawn(process.execPath, ['--import', 'tsx', 'src/bot/main.ts'], {
  env: {
    PATH: process.env.PATH ?? '',
    DATA_DIR: work,
    MODELS_DIR: path.join(work, 'models'),
    EMBEDDING_MODEL: 'test/tiny-bert',
    ALLOW_MODEL_DOWNLOAD: 'false',
    DISCORD_TOKEN: fake.token,
    DISCORD_API_URL: fake.restApiUrl,
    RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: 'info',
    // The admission bounds, so they can be chosen by measurement: QUESTION_SHED_AFTER_MS=2500 npm run load-test.
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('QUESTION_'))),
  },
  stdio: ['ignore', 'inherit', 'pipe'],
});
let botLog = '';
await new Promise<void>((resolve, reject) => {
  bot.stderr.on('data', (chunk) => {
    botLog += chunk;
    if (/Logged in as/.test(botLog)) resolve();
  });
  bot.once('exit', (code) => reject(new Error(`bot exited with ${code}:\n${botLog}`)));
});
console.log(`${/Logged in as .*/.exec(botLog)?.[0]}; ready in ${((performance.now() - indexStart) / 1000).toFixed(1)} s (index built at start)`);
const rssOf = (pid: number | string) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  } catch {
    return 0; // a worker that just exited
  }
};
/** The bot's process and its children (the engine process, embedding workers while indexing). */
const botRss = () => {
  const children = fs.readFileSync(`/proc/${bot.pid}/task/${bot.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  return rssOf(bot.pid!) + children.reduce((sum, pid) => sum + rssOf(pid), 0);
};

let peakRss = botRss();
const sampler = setInterval(() => (peakRss = Math.max(peakRss, botRss())), 50);
let asked = 0;

/** Sends `count` questions with at most `concurrency` in flight; returns dispatch→callback times in ms. */
async function drive(count: number, concurrency: number): Promise<{ times: number[]; answers: number[]; busy: number; failures: number; late: number; seconds: number }> {
  const times: number[] = [];
  const answers: number[] = [];
  let busy = 0;
  let failures = 0;
  let late = 0;
  let next = 0;
  const started = performance.now();
  const member = async (lane: number) => {
    while (next < count) {
      next++;
      const question = questions[asked++ % questions.length]!;
      const user = { id: String(300000000000000000n + BigInt(lane)), username: `member${lane}` };
      const interaction = fake.sendCommand({ guildId: GUILD, channelId: CHANNEL, user, name: 'ask', options: [{ name: 'question', type: 3, value: question }] });
      try {
        const callback = await interaction.callback;
        const elapsed = callback.receivedAt - interaction.dispatchedAt;
        times.push(elapsed);
        if (elapsed > 3000) late++;
        const retry = /^The bot is busy.* try again in (\d+) s/.exec(callback.data.content ?? '');
        if (callback.type === 4 && retry) {
          busy++;
          // A member told to come back later does, not at once: no retry storm on the bot.
          await new Promise((resolve) => setTimeout(resolve, Number(retry[1]) * 1000));
        } else if (callback.type === 4) answers.push(elapsed);
        else if (callback.type === 5) answers.push((await interaction.nextEdit(30_000)).receivedAt - interaction.dispatchedAt);
        else failures++;
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, lane) => member(lane)));
  return { times, answers, busy, failures, late, seconds: (performance.now() - started) / 1000 };
}

const fmt = (ms: number) => ms.toFixed(1).padStart(7);
console.log('\nconcurrent | questions | answered |  busy | ack >3 s | answered q/s | ack p50 / p95 / p99 ms   | answered p50 / p95 / p99 ms | peak RSS MiB');
await drive(20, 4); // warm-up
for (const level of values.levels!.split(',').map(Number)) {
  peakRss = botRss();
  const count = Math.max(level * 5, 50);
  const run = await drive(count, level);
  const ack = (p: number) => fmt(percentile(run.times, p));
  const answer = (p: number) => fmt(percentile(run.answers, p));
  console.log(
    `${String(level).padStart(10)} | ${String(count).padStart(9)} | ${String(run.answers.length).padStart(8)} | ${String(run.busy).padStart(5)} | ${String(run.late).padStart(8)} | ${(run.answers.length / run.seconds).toFixed(0).padStart(12)} | ${ack(50)} ${ack(95)} ${ack(99)} | ${answer(50)} ${answer(95)} ${answer(99)}     | ${(peakRss / 2 ** 20).toFixed(0).padStart(12)}`,
  );
}

const soak = Number(values.soak);
if (soak > 0) {
  console.log(`\nsoak: ${soak} questions, 20 in flight; RSS every ${soak / 10}`);
  const step = soak / 10;
  for (let done = 0; done < soak; done += step) {
    const run = await drive(step, 20);
    console.log(`  after ${String(done + step).padStart(6)}: RSS ${(botRss() / 2 ** 20).toFixed(0)} MiB, answer p50 ${percentile(run.answers, 50).toFixed(1)} ms, busy ${run.busy}, failures ${run.failures}, late acks ${run.late}`);
  }
}

clearInterval(sampler);
bot.kill('SIGTERM');
await new Promise((resolve) => bot.once('exit', resolve));
await fake.stop();
fs.rmSync(work, { recursive: true, force: true });

/** `count` distinct paragraphs of 3 sentences each, spread over documents of 500 paragraphs. */
function writeCorpus(folder: string, count: number, pool: string[]): void {
  fs.mkdirSync(folder, { recursive: true });
  let seed = 7;
  const pick = () => pool[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % pool.length]!;
  for (let doc = 0; doc * 500 < count; doc++) {
    const paragraphs = Array.from({ length: Math.min(500, count - doc * 500) }, (_, i) => `${pick()} ${pick()} ${pick()} (ref ${doc}-${i})`);
    fs.writeFileSync(path.join(folder, `corpus-${String(doc).padStart(3, '0')}.txt`), paragraphs.join('\n\n'));
  }
}
