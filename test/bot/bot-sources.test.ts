import fs from 'node:fs';
import path from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { startBot, type RunningBot } from '../../src/bot/start-bot.ts';
import { createLogger } from '../../src/logger.ts';
import { FakeDiscord } from '../fake-discord/fake-discord.ts';
import { makeDataDir, tinyModelEnv } from '../support/engine-fixture.ts';
import { docsPage, LocalSite } from '../support/local-site.ts';

const GUILD_A = '100000000000000001';
const GUILD_B = '100000000000000002';
const TEXT_A = '200000000000000001';
const TEXT_B = '200000000000000003';
const MEMBER = { id: '300000000000000001', username: 'member' };
const ADMIN = { id: '300000000000000002', username: 'admin' };
const MANAGE_GUILD = String(PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages);
const PLAIN = String(PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel);

let fake: FakeDiscord;
let bot: RunningBot;
let site: LocalSite;
let dataDir: string;

function command(name: string, options: { name: string; type: number; value: unknown; focused?: boolean }[] = [], user = MEMBER, guildId = GUILD_A, permissions = PLAIN) {
  return fake.sendCommand({ guildId, channelId: guildId === GUILD_A ? TEXT_A : TEXT_B, user, memberPermissions: permissions, name, options });
}

/** The reply's final edit, after the progress edits. */
async function finalEdit(handle: ReturnType<typeof command>, done: RegExp) {
  let edit = await handle.nextEdit();
  while (!done.test(edit.data.content)) edit = await handle.nextEdit();
  return edit.data.content as string;
}

beforeAll(async () => {
  site = await LocalSite.start();
  site.page('/robots.txt', 'User-agent: *\nAllow: /\n', { type: 'text/plain' });
  site.page('/help/', docsPage('Server help', ['Welcome to the help pages of the community server.'], ['/help/roles', '/help/events']));
  site.page('/help/roles', docsPage('Roles', ['To get the artist role, post three drawings in the gallery channel and ask a moderator.']));
  site.page('/help/events', docsPage('Events', ['The quiz night starts every Tuesday at nine in the stage channel.']));
  fake = await FakeDiscord.start();
  for (const [id, channel] of [[GUILD_A, TEXT_A], [GUILD_B, TEXT_B]] as const) {
    fake.addGuild({ id, name: `Guild ${id.slice(-1)}`, owner_id: ADMIN.id, roles: [{ id, name: '@everyone', permissions: PLAIN }], channels: [{ id: channel, type: 0, name: 'chan' }] });
  }
  dataDir = makeDataDir({});
  const config = parseConfig(
    tinyModelEnv(dataDir, { DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.restApiUrl, SEARCH_MODE: 'keyword', ALLOW_PRIVATE_SOURCES: 'true', SOURCE_REQUEST_INTERVAL_MS: '0', SYNC_INTERVAL_HOURS: '0' }),
    dataDir,
  );
  bot = await startBot({ config, logger: createLogger({ level: 'warn', secrets: [fake.token], write: () => undefined }) });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
  await site?.close();
});

describe('sources through a fake Discord', () => {
  it('/add-source is for admins only', async () => {
    const refused = await command('add-source', [{ name: 'url', type: 3, value: site.url('/help/') }]).callback;
    expect(refused.data.content).toMatch(/Only server admins/);
    expect(site.counter('/help/').requests).toBe(0);
  });

  it('an admin adds a site, members of that server get answers from it, and /sources shows it', async () => {
    const add = command('add-source', [{ name: 'url', type: 3, value: site.url('/help/') }], ADMIN, GUILD_A, MANAGE_GUILD);
    expect((await add.callback).type).toBe(5);
    const content = await finalEdit(add, /Added source/);
    expect(content).toMatch(/^Added source `127-0-0-1-help` \(site\) to this server's knowledge\.\n🌐 `127-0-0-1-help`: 3 pages: 3 new or changed, 0 unchanged, 0 removed, 0 failed\.\n✅ Reindexed .*3 added/);
    expect(fs.readdirSync(path.join(dataDir, 'servers', GUILD_A, 'sources', '127-0-0-1-help'))).toHaveLength(3);

    const answer = await command('ask', [{ name: 'question', type: 3, value: 'How do I get the artist role?' }]).callback;
    const field = answer.data.embeds[0].fields[0];
    expect(field.name).toMatch(/^1\. Roles/);
    expect(field.value).toContain('post three drawings in the gallery channel');
    const elsewhere = await command('ask', [{ name: 'question', type: 3, value: 'How do I get the artist role?' }], MEMBER, GUILD_B).callback;
    expect(JSON.stringify(elsewhere.data)).not.toContain('gallery channel');

    const sources = await command('sources').callback;
    const embed = sources.data.embeds.find((candidate: { title: string }) => candidate.title.startsWith('Synced sources'));
    expect(embed.description).toMatch(/^• `127-0-0-1-help` site \(this server\) — <http:\/\/127\.0\.0\.1:\d+\/help\/>, 3 pages, synced <t:\d+:R>$/);
    expect(sources.data.embeds[0].description).not.toContain('sources/');
  });

  it('/sync re-syncs with conditional requests and shows a failing page\'s error, keeping its last version', async () => {
    site.routes.set('/help/events', { kind: 'status', status: 500 });
    const sync = command('sync', [], ADMIN, GUILD_A, MANAGE_GUILD);
    const content = await finalEdit(sync, /Reindexed/);
    expect(content).toMatch(/🌐 `127-0-0-1-help`: 3 pages: 0 new or changed, 2 unchanged \(2 not modified\), 0 removed, 1 failed\.\n⚠️ .*\/help\/events: HTTP 500/);
    expect(content).toMatch(/0 embedded/);
    const answer = await command('ask', [{ name: 'question', type: 3, value: 'When does the quiz night start?' }]).callback;
    expect(answer.data.embeds[0].fields[0].value).toContain('every Tuesday at nine');
    const sources = await command('sources').callback;
    expect(JSON.stringify(sources.data.embeds)).toContain('HTTP 500');
  });

  it('/remove-source suggests this server\'s sources and removes one with its pages', async () => {
    const suggestions = await fake.sendAutocomplete({ guildId: GUILD_A, channelId: TEXT_A, user: ADMIN, memberPermissions: MANAGE_GUILD, name: 'remove-source', options: [{ name: 'source', type: 3, value: 'help', focused: true }] }).callback;
    expect(suggestions.data.choices).toEqual([{ name: expect.stringMatching(/^127-0-0-1-help \(http:/), value: '127-0-0-1-help' }]);
    const otherServer = await fake.sendAutocomplete({ guildId: GUILD_B, channelId: TEXT_B, user: ADMIN, memberPermissions: MANAGE_GUILD, name: 'remove-source', options: [{ name: 'source', type: 3, value: '', focused: true }] }).callback;
    expect(otherServer.data.choices).toEqual([]);

    const elsewhere = command('remove-source', [{ name: 'source', type: 3, value: '127-0-0-1-help' }], ADMIN, GUILD_B, MANAGE_GUILD);
    expect(await finalEdit(elsewhere, /no source/)).toMatch(/There is no source "127-0-0-1-help" here/);

    const remove = command('remove-source', [{ name: 'source', type: 3, value: '127-0-0-1-help' }], ADMIN, GUILD_A, MANAGE_GUILD);
    expect(await finalEdit(remove, /Removed/)).toMatch(/Removed source `127-0-0-1-help` and its pages\.\n✅ Reindexed .*3 removed/);
    expect(fs.existsSync(path.join(dataDir, 'servers', GUILD_A, 'sources', '127-0-0-1-help'))).toBe(false);
    const answer = await command('ask', [{ name: 'question', type: 3, value: 'How do I get the artist role?' }]).callback;
    expect(JSON.stringify(answer.data)).not.toContain('gallery channel');
  });
});
