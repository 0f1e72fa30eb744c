import fs from 'node:fs';
import path from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type AppConfig } from '../../src/config.ts';
import { startBot, type RunningBot } from '../../src/bot/start-bot.ts';
import { createLogger } from '../../src/logger.ts';
import { FakeDiscord } from '../fake-discord/fake-discord.ts';
import { makeDataDir, tinyModelEnv } from '../support/engine-fixture.ts';

const GUILD_A = '100000000000000001';
const GUILD_B = '100000000000000002';
const TEXT_A = '200000000000000001';
const QA_A = '200000000000000002';
const TEXT_B = '200000000000000003';
const MEMBER = { id: '300000000000000001', username: 'member' };
const ADMIN = { id: '300000000000000002', username: 'admin' };
const MANAGE_GUILD = String(PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages);
const PLAIN = String(PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel);

const DOCS = {
  'handbook.md': [
    '# Community handbook',
    '',
    '## Events',
    '',
    'Game night happens every Friday at eight in the evening in the voice lounge, hosted by the events team.',
    '',
    '## Lounge rules',
    '',
    'The voice lounge is reserved during events, and the hosts pick what to play each week.',
    '',
    '## Announcements',
    '',
    'Important notices are posted for @everyone in the announcements channel and pinned there for a week.',
    '',
    '## Long rules',
    '',
    ('Members must keep conversations friendly and on topic in every channel of the server. ').repeat(40),
    '',
    '## Visiting',
    '',
    'Visitors are welcome at the community centre any day of the week. Guests bring a photo ID to the front desk. ' +
      'Cars park in the east lot behind the main building, free of charge. The centre closes at midnight.',
  ].join('\n'),
};

let fake: FakeDiscord;
let bot: RunningBot;
let dataDir: string;
const logLines: string[] = [];

function command(name: string, options: { name: string; type: number; value: unknown }[] = [], user = MEMBER, guildId = GUILD_A, permissions = PLAIN) {
  return fake.sendCommand({ guildId, channelId: guildId === GUILD_A ? TEXT_A : TEXT_B, user, memberPermissions: permissions, name, options });
}

const ask = (question: string, extra: { name: string; type: number; value: unknown }[] = [], user = MEMBER, guildId = GUILD_A) =>
  command('ask', [{ name: 'question', type: 3, value: question }, ...extra], user, guildId);

beforeAll(async () => {
  fake = await FakeDiscord.start();
  for (const [id, channels] of [[GUILD_A, [TEXT_A, QA_A]], [GUILD_B, [TEXT_B]]] as const) {
    fake.addGuild({
      id,
      name: `Guild ${id.slice(-1)}`,
      owner_id: ADMIN.id,
      roles: [{ id, name: '@everyone', permissions: PLAIN }],
      channels: channels.map((channel) => ({ id: channel, type: 0, name: `chan-${channel.slice(-1)}` })),
    });
  }
  dataDir = makeDataDir(DOCS);
  const config: AppConfig = parseConfig(
    tinyModelEnv(dataDir, {
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.restApiUrl,
      QA_CHANNEL_IDS: QA_A,
      RATE_LIMIT_PER_MINUTE: '1000',
      SEARCH_MODE: 'keyword',
    }),
    dataDir,
  );
  const logger = createLogger({ level: 'debug', secrets: [fake.token], write: (line) => logLines.push(line) });
  bot = await startBot({ config, logger });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

describe('the bot through a fake Discord', () => {
  it('/ask answers with the passage, its source and a relevance score, privately, without pinging', async () => {
    const interaction = ask('When is game night?');
    const callback = await interaction.callback;
    expect(callback.type).toBe(4);
    expect(callback.data.flags & 64).toBe(64);
    expect(callback.data.allowed_mentions).toMatchObject({ parse: [] });
    const field = callback.data.embeds[0].fields[0];
    expect(field.name).toBe('1. Community handbook › Events › ¶1');
    expect(field.value).toContain('Game night happens every Friday');
    expect(field.value).toMatch(/`handbook\.md` · relevance \d+%/);
  });

  it('/ask shows the sentence that answers in bold inside the quote', async () => {
    const callback = await ask('Where do cars park?').callback;
    const field = callback.data.embeds[0].fields[0];
    expect(field.name).toMatch(/^1\. Community handbook › Visiting › ¶\d+$/);
    const [quote, source] = field.value.split('\n');
    expect(quote).toBe(
      '> Visitors are welcome at the community centre any day of the week. Guests bring a photo ID to the front desk. ' +
        '**Cars park in the east lot behind the main building, free of charge.** The centre closes at midnight.',
    );
    expect(source).toMatch(/^— `handbook\.md` · relevance \d+%$/);
  });

  it('/ask says "no confident match" instead of unrelated text', async () => {
    const callback = await ask('How do I configure Kubernetes ingress controllers?').callback;
    expect(callback.data.embeds[0].description).toMatch(/^No confident match in the documents\./);
    expect(callback.data.embeds[0].fields ?? []).toEqual([]);
  });

  it('a passage with @everyone stays inert, and an over-long passage is trimmed within limits', async () => {
    const everyone = await ask('Where are important notices posted?').callback;
    const quote = everyone.data.embeds[0].fields[0].value as string;
    expect(quote).toContain('@\u200beveryone');
    expect(everyone.data.allowed_mentions).toMatchObject({ parse: [] });

    const long = await ask('Which conversations must members keep friendly and on topic?').callback;
    const value = long.data.embeds[0].fields[0].value as string;
    expect(value.length).toBeLessThanOrEqual(1024);
    expect(value).toMatch(/…\n— `handbook\.md`/);
  });

  it('"More" shows the next passages and 👍 records feedback with the question and passages', async () => {
    const first = await ask('Is the voice lounge reserved?', [{ name: 'count', type: 4, value: 1 }]).callback;
    const buttons = first.data.components[0].components as { custom_id: string }[];
    const more = buttons.find((button) => button.custom_id.startsWith('ask:more:'))!;
    const next = await fake.sendButton({ guildId: GUILD_A, channelId: TEXT_A, user: MEMBER, customId: more.custom_id }).callback;
    expect(next.data.embeds[0].fields[0].name).toMatch(/^2\. /);

    const up = buttons.find((button) => button.custom_id.startsWith('ask:vote:up:'))!;
    const thanks = await fake.sendButton({ guildId: GUILD_A, channelId: TEXT_A, user: MEMBER, customId: up.custom_id }).callback;
    expect(thanks.data.content).toMatch(/feedback was recorded/);
    const entries = fs.readFileSync(path.join(dataDir, 'feedback.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(entries.at(-1)).toMatchObject({ vote: 'up', user: MEMBER.id, server: GUILD_A, question: 'Is the voice lounge reserved?' });
    expect(entries.at(-1).passages).toHaveLength(1);
  });

  it('👎 on the second page ("More") records every passage shown so far, not only that page\'s', async () => {
    const first = await ask('Is the voice lounge reserved?', [{ name: 'count', type: 4, value: 1 }]).callback;
    const more = (first.data.components[0].components as { custom_id: string }[]).find((button) => button.custom_id.startsWith('ask:more:'))!;
    const second = await fake.sendButton({ guildId: GUILD_A, channelId: TEXT_A, user: MEMBER, customId: more.custom_id }).callback;
    const down = (second.data.components[0].components as { custom_id: string }[]).find((button) => button.custom_id.startsWith('ask:vote:down:'))!;
    await fake.sendButton({ guildId: GUILD_A, channelId: TEXT_A, user: MEMBER, customId: down.custom_id }).callback;
    const entries = fs.readFileSync(path.join(dataDir, 'feedback.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    const location = (name: string) => name.replace(/^\d+\. /, '');
    const shown = [first, second].map((callback) => location(callback.data.embeds[0].fields[0].name));
    expect(entries.at(-1)).toMatchObject({ vote: 'down', question: 'Is the voice lounge reserved?' });
    expect(entries.at(-1).passages.map((p: { section: string; paragraph: number }) => `Community handbook › ${p.section} › ¶${p.paragraph}`)).toEqual(shown);
  });

  it('/search lists one line per hit', async () => {
    const callback = await command('search', [{ name: 'query', type: 3, value: 'game night voice lounge' }]).callback;
    expect(callback.data.content).toMatch(/^Matches for “game night voice lounge”:\n• \*\*Community handbook › Events › ¶1\*\* — Game night happens/);
  });

  it('/sources lists the documents with the model and mode', async () => {
    const callback = await command('sources').callback;
    expect(callback.data.embeds[0].description).toContain('**Community handbook** — `handbook.md`');
    expect(callback.data.embeds[0].footer.text).toMatch(/mode: keyword/);
  });

  it('/reindex is refused to a member without permission and runs for an admin', async () => {
    const refused = await command('reindex').callback;
    expect(refused.data.content).toMatch(/Only server admins/);
    const admin = command('reindex', [], ADMIN, GUILD_A, MANAGE_GUILD);
    expect((await admin.callback).type).toBe(5);
    let edit = await admin.nextEdit();
    while (!/Reindexed/.test(edit.data.content)) edit = await admin.nextEdit();
    expect(edit.data.content).toMatch(/✅ Reindexed in [\d.]+ s: 0 added, 0 changed, 0 removed, 1 unchanged; \d+ paragraphs, 0 embedded\./);
  });

  it('/add-document stores an attachment for that server only, and asking finds it there and not elsewhere', async () => {
    const file = fake.addAttachment('../../moderation.md', '# Moderation\n\nAppeals against a timeout go to the moderator mailbox within seven days of the decision.');
    const add = command('add-document', [{ name: 'file', type: 11, value: file.id }], ADMIN, GUILD_A, MANAGE_GUILD);
    let edit = await add.nextEdit();
    while (!/Added/.test(edit.data.content)) edit = await add.nextEdit();
    expect(edit.data.content).toMatch(/Added `moderation\.md` to this server's documents\.\n✅ Reindexed .* 1 added/);
    expect(fs.existsSync(path.join(dataDir, 'servers', GUILD_A, 'docs', 'moderation.md'))).toBe(true);

    const here = await ask('Where do timeout appeals go?').callback;
    expect(here.data.embeds[0].fields[0].value).toContain('moderator mailbox');
    const elsewhere = await ask('Where do timeout appeals go?', [], MEMBER, GUILD_B).callback;
    expect(JSON.stringify(elsewhere.data)).not.toContain('moderator mailbox');
  });

  it('a mention and a QA-channel message get the same answer as a reply', async () => {
    fake.sendMessage({ guildId: GUILD_A, channelId: TEXT_A, author: MEMBER, content: `<@${fake.botUserId}> when is game night?`, mentions: [{ id: fake.botUserId, username: 'bot' }] });
    const reply = await fake.waitForChannelMessage((message) => message.channelId === TEXT_A);
    expect(reply.body.message_reference).toBeDefined();
    expect(reply.body.allowed_mentions).toMatchObject({ parse: [] });
    expect(reply.body.embeds[0].fields[0].name).toBe('1. Community handbook › Events › ¶1');

    fake.sendMessage({ guildId: GUILD_A, channelId: QA_A, author: MEMBER, content: 'when is game night?' });
    const qa = await fake.waitForChannelMessage((message) => message.channelId === QA_A);
    expect(qa.body.embeds[0].fields[0].name).toBe('1. Community handbook › Events › ¶1');
  });

  it('makes no REST call the fake does not know', () => {
    expect(fake.requests.filter((request) => request.status === 404).map((request) => `${request.method} ${request.path} ${JSON.stringify(request.body)?.slice(0, 200)}`)).toEqual([]);
  });

  it('never logs the token', () => {
    expect(logLines.join('\n')).not.toContain(fake.token);
  });
});
