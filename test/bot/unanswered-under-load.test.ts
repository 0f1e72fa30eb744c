import { fileURLToPath } from 'node:url';
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type AppConfig } from '../../src/config.ts';
import { startBot, type RunningBot } from '../../src/bot/start-bot.ts';
import { openKnowledgeLog } from '../../src/knowledge/open-knowledge-log.ts';
import { silentLogger } from '../../src/logger.ts';
import { FakeDiscord } from '../fake-discord/fake-discord.ts';
import { makeDataDir, tinyModelEnv } from '../support/engine-fixture.ts';
import { addGuilds } from '../support/fake-guilds.ts';

const GUILD = '100000000000000021';
const TEXT = '200000000000000021';
const MEMBER = { id: '300000000000000021', username: 'member' };
const ADMIN = { id: '300000000000000022', username: 'admin' };
const MANAGE_GUILD = String(PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages);
const PLAIN = String(PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel);
const DOCS = { 'events.md': '# Events\n\nGame night happens every Friday at eight in the evening in the voice lounge, hosted by the events team.' };
/**
 * Distinct unanswered wordings in the log: /unanswered embeds each, 400 × 15 ms = 6 s of engine time
 * (slow-embedding-engine.ts), far longer than a member's answer.
 */
const UNANSWERED = 400;

let fake: FakeDiscord;
let bot: RunningBot;

/** A log of many distinct questions the documents did not answer, written before the bot starts. */
function seedUnanswered(config: AppConfig): void {
  const log = openKnowledgeLog({ config, logger: silentLogger });
  for (let i = 0; i < UNANSWERED; i++) {
    log.recordQuestion({
      server: GUILD, channel: TEXT, userId: MEMBER.id, via: 'command', text: `Where is the manual for gadget${i} and its widget${i}?`, link: undefined,
      mode: 'keyword', answered: false, confidence: 0.1, latencyMs: 5, passages: [],
    });
  }
  log.close();
}

beforeAll(async () => {
  fake = await FakeDiscord.start();
  addGuilds(fake, { [GUILD]: [TEXT] }, ADMIN.id, PLAIN);
  const dataDir = makeDataDir(DOCS);
  const config = parseConfig(tinyModelEnv(dataDir, { DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.restApiUrl, RATE_LIMIT_PER_MINUTE: '0', SEARCH_MODE: 'keyword' }), dataDir);
  seedUnanswered(config);
  bot = await startBot({ config, logger: silentLogger, engineModule: fileURLToPath(new URL('../support/slow-embedding-engine.ts', import.meta.url)) });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

describe('/unanswered under load', () => {
  it("a member's question is acknowledged and answered while a large /unanswered is still embedding its questions", async () => {
    const report = fake.sendCommand({ guildId: GUILD, channelId: TEXT, user: ADMIN, memberPermissions: MANAGE_GUILD, name: 'unanswered', options: [] });
    expect((await report.callback).type).toBe(5);
    const question = fake.sendCommand({ guildId: GUILD, channelId: TEXT, user: MEMBER, memberPermissions: PLAIN, name: 'ask', options: [{ name: 'question', type: 3, value: 'When is game night?' }] });
    const acknowledged = await question.callback;
    const answered = acknowledged.type === 4 ? acknowledged : await question.nextEdit(60_000);
    expect(answered.data.embeds[0].fields[0].value).toContain('Game night happens every Friday');
    const reported = await report.nextEdit(60_000);
    expect(reported.data.embeds[0].title).toBe(`Unanswered questions, last 30 days: ${UNANSWERED} in ${UNANSWERED} groups`);
    // Answered first: the member waited for one small embedding job, not for the report's whole batch.
    expect(answered.receivedAt).toBeLessThan(reported.receivedAt);
  }, 120_000);
});
