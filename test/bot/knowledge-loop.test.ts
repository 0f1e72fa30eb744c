import fs from 'node:fs';
import path from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { startBot, type RunningBot } from '../../src/bot/start-bot.ts';
import { createLogger } from '../../src/logger.ts';
import { FakeDiscord } from '../fake-discord/fake-discord.ts';
import type { FakeCommandOption, RecordedWebhookMessage } from '../fake-discord/types.ts';
import { makeDataDir, tinyModelEnv } from '../support/engine-fixture.ts';
import { addGuilds } from '../support/fake-guilds.ts';

const GUILD_A = '100000000000000011';
const GUILD_B = '100000000000000012';
const TEXT_A = '200000000000000011';
const QA_A = '200000000000000012';
const TEXT_B = '200000000000000013';
const MEMBER = { id: '300000000000000011', username: 'member' };
const ADMIN = { id: '300000000000000012', username: 'admin' };
const MANAGE_GUILD = String(PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages);
const PLAIN = String(PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel);
const DAY_MS = 86_400_000;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const DOCS = {
  'handbook.md': '# Community handbook\n\n## Events\n\nGame night happens every Friday at eight in the evening in the voice lounge, hosted by the events team.\n',
};

let fake: FakeDiscord;
let bot: RunningBot;
let dataDir: string;
let clock = Date.parse('2026-06-15T12:00:00Z');

const channelOf = (guildId: string) => (guildId === GUILD_A ? TEXT_A : TEXT_B);

function command(name: string, options: FakeCommandOption[] = [], user = MEMBER, guildId = GUILD_A, permissions = PLAIN) {
  return fake.sendCommand({ guildId, channelId: channelOf(guildId), user, memberPermissions: permissions, name, options });
}

const ask = (question: string, guildId = GUILD_A) => command('ask', [{ name: 'question', type: 3, value: question }], MEMBER, guildId);

/** An admin report (`/unanswered`, `/stats`): deferred privately, then the edit with the report. */
async function report(name: string, guildId = GUILD_A, days?: number): Promise<RecordedWebhookMessage> {
  const handle = command(name, days === undefined ? [] : [{ name: 'days', type: 4, value: days }], ADMIN, guildId, MANAGE_GUILD);
  const callback = await handle.callback;
  expect(callback.type).toBe(5);
  expect(callback.data.flags & 64).toBe(64);
  return handle.nextEdit();
}

async function askInQaChannel(content: string): Promise<void> {
  fake.sendMessage({ guildId: GUILD_A, channelId: QA_A, author: MEMBER, content });
  await fake.waitForChannelMessage((message) => message.channelId === QA_A && JSON.stringify(message.body).includes('No confident match'));
}

beforeAll(async () => {
  fake = await FakeDiscord.start();
  addGuilds(fake, { [GUILD_A]: [TEXT_A, QA_A], [GUILD_B]: [TEXT_B] }, ADMIN.id, PLAIN);
  dataDir = makeDataDir(DOCS);
  // A vote the former feedback.jsonl recorded, two days before this run.
  fs.writeFileSync(
    path.join(dataDir, 'feedback.jsonl'),
    JSON.stringify({ at: new Date(clock - 2 * DAY_MS).toISOString(), vote: 'down', server: GUILD_A, user: MEMBER.id, question: 'Which VPN client should I install?', passages: [] }) + '\n',
  );
  const config = parseConfig(
    tinyModelEnv(dataDir, { DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.restApiUrl, QA_CHANNEL_IDS: QA_A, RATE_LIMIT_PER_MINUTE: '1000', SEARCH_MODE: 'keyword' }),
    dataDir,
  );
  bot = await startBot({ config, logger: createLogger({ level: 'silent' }), now: () => clock });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

describe('the knowledge loop through a fake Discord', () => {
  it('/unanswered groups what the documents did not answer, most frequent first, with counts, last time and a jump link', async () => {
    for (const question of ['How do I configure Kubernetes ingress?', 'Kubernetes ingress configuration', 'configure kubernetes ingress please']) {
      expect((await ask(question).callback).data.embeds[0].description).toMatch(/^No confident match/);
      clock += 60_000;
    }
    await askInQaChannel('kubernetes ingress not working');
    clock += 60_000;
    await askInQaChannel('What is the wifi password?');
    // Answered, then voted 👎: it goes on the list too.
    const answered = await ask('When is game night?').callback;
    expect(answered.data.embeds[0].fields[0].value).toContain('Game night');
    const down = (answered.data.components[0].components as { custom_id: string }[]).find((button) => button.custom_id.startsWith('ask:vote:down:'))!;
    await fake.sendButton({ guildId: GUILD_A, channelId: TEXT_A, user: MEMBER, customId: down.custom_id }).callback;
    // Another server's questions never show here.
    await ask('Where does guild B keep its spaceship blueprints?', GUILD_B).callback;

    const edit = await report('unanswered', GUILD_A);
    const embed = edit.data.embeds[0];
    expect(embed.title).toBe('Unanswered questions, last 30 days: 7 in 4 groups');
    const entries = (embed.description as string).split('\n\n');
    expect(entries[0]).toMatch(/^\*\*1\.\*\* “kubernetes ingress not working”\n4× \(4 no match\), last <t:\d+:R> · \[example\]\(https:\/\/discord\.com\/channels\/100000000000000011\/200000000000000012\/\d+\)$/);
    expect(embed.description).toContain('“When is game night?”\n1× (1 👎)');
    expect(embed.description).toContain('“What is the wifi password?”');
    expect(embed.description).toContain('“Which VPN client should I install?”\n1× (1 👎)');
    expect(embed.description).not.toContain('spaceship');
    expect(embed.footer.text).toMatch(/Grouped by shared keywords/);
    expect(edit.data.components.flatMap((row: { components: unknown[] }) => row.components)).toHaveLength(4);

    const other = await report('unanswered', GUILD_B);
    expect(other.data.embeds[0].description).toContain('spaceship');
    expect(other.data.embeds[0].description).not.toMatch(/kubernetes|wifi|VPN|game night/i);
  });

  it('a "resolved" button hides its group from /unanswered until it is asked again', async () => {
    const before = await report('unanswered', GUILD_A);
    const resolve = before.data.components[0].components[0].custom_id as string;
    const refused = await fake.sendButton({ guildId: GUILD_A, channelId: TEXT_A, user: MEMBER, memberPermissions: PLAIN, customId: resolve }).callback;
    expect(refused.data.content).toMatch(/Only server admins/);
    // Another server's admin cannot resolve this server's group with the same button.
    const elsewhere = fake.sendButton({ guildId: GUILD_B, channelId: TEXT_B, user: ADMIN, memberPermissions: MANAGE_GUILD, customId: resolve });
    expect((await elsewhere.nextEdit()).data.content).toMatch(/no longer listed/);

    const click = fake.sendButton({ guildId: GUILD_A, channelId: TEXT_A, user: ADMIN, memberPermissions: MANAGE_GUILD, customId: resolve });
    expect((await click.nextEdit()).data.content).toBe('Marked resolved: “kubernetes ingress not working” (4 questions). It is hidden from /unanswered until it is asked again.');
    const after = await report('unanswered', GUILD_A);
    expect(after.data.embeds[0].description).not.toMatch(/kubernetes/i);
    expect(after.data.embeds[0].title).toMatch(/: 3 in 3 groups$/);

    clock += 60_000;
    await ask('How do I configure Kubernetes ingress?').callback;
    const again = await report('unanswered', GUILD_A);
    expect(again.data.embeds[0].description).toContain('“How do I configure Kubernetes ingress?”\n1× (1 no match)');
  });

  it('/stats counts this server\'s questions and votes, with a PNG chart attached and shown in the embed', async () => {
    const edit = await report('stats', GUILD_A, 7);
    const embed = edit.data.embeds[0];
    const field = (name: string) => embed.fields.find((entry: { name: string }) => entry.name === name)?.value;
    expect(embed.title).toBe('Questions, last 7 days');
    expect(field('Questions')).toBe('7');
    expect(field('Answered')).toBe('1 (14%)');
    expect(field('No confident match')).toBe('6 (86%)');
    // The imported vote counts too (two days ago).
    expect(field('Votes')).toBe('👍 0 · 👎 2');
    expect(field('Answer time')).toMatch(/^p50 \d+ ms · p95 [\d.]+ m?s$/);
    expect(field('Documents cited most')).toBe('1. `handbook.md` — 1');
    expect(field('Suggested threshold')).toMatch(/^Not enough votes yet/);
    expect(embed.image.url).toBe('attachment://questions-per-day.png');
    expect(edit.files).toHaveLength(1);
    expect(edit.files[0]!.filename).toBe('questions-per-day.png');
    expect(edit.files[0]!.data.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);

    const other = await report('stats', GUILD_B, 7);
    expect(other.data.embeds[0].fields[0].value).toBe('1');
  });

  it('refuses /stats and /unanswered to a member without Manage Server', async () => {
    for (const name of ['stats', 'unanswered']) {
      const refused = await command(name).callback;
      expect(refused.type).toBe(4);
      expect(refused.data.content).toMatch(/Only server admins/);
    }
  });

  it('deletes question text after QUESTION_LOG_DAYS but keeps counting the questions', async () => {
    clock += 91 * DAY_MS;
    expect(bot.knowledgeLog.purgeExpired()).toBeGreaterThan(0);
    const unanswered = await report('unanswered', GUILD_A, 365);
    expect(unanswered.data.embeds[0].description).toBe('No question went unanswered in the last 365 days.');
    expect(unanswered.data.embeds[0].footer.text).toMatch(/7 older questions are counted in \/stats but their text was not kept/);
    const stats = await report('stats', GUILD_A, 365);
    expect(stats.data.embeds[0].fields[0].value).toBe('7');
  });

  it('makes no REST call the fake does not know', () => {
    expect(fake.requests.filter((request) => request.status === 404).map((request) => `${request.method} ${request.path}`)).toEqual([]);
  });
});
