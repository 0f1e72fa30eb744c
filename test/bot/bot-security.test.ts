import fs from 'node:fs';
import path from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { startBot, type RunningBot } from '../../src/bot/start-bot.ts';
import { createLogger } from '../../src/logger.ts';
import { FakeDiscord } from '../fake-discord/fake-discord.ts';
import { makeDataDir, tinyModelEnv } from '../support/engine-fixture.ts';

const GUILD = '100000000000000001';
const CHANNEL = '200000000000000001';
const ADMIN_ROLE = '400000000000000001';
const OTHER_ROLE = '400000000000000002';
const ADMIN = { id: '300000000000000002', username: 'admin' };
const PLAIN = String(PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel);
const MANAGE = String(PermissionFlagsBits.ManageGuild);

let fake: FakeDiscord;
let bot: RunningBot;
let dataDir: string;
const output: string[] = [];

beforeAll(async () => {
  fake = await FakeDiscord.start();
  fake.addGuild({ id: GUILD, name: 'Guild', owner_id: ADMIN.id, roles: [{ id: GUILD, name: '@everyone', permissions: PLAIN }, { id: ADMIN_ROLE, name: 'Docs admin', permissions: PLAIN }, { id: OTHER_ROLE, name: 'Helper', permissions: PLAIN }], channels: [{ id: CHANNEL, type: 0, name: 'general' }] });
  dataDir = makeDataDir({ 'faq.md': '# FAQ\n\nThe support desk answers tickets within two working days, faster for urgent outages.' });
  const config = parseConfig(
    tinyModelEnv(dataDir, { DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.restApiUrl, RATE_LIMIT_PER_MINUTE: '2', ADMIN_ROLE_IDS: ADMIN_ROLE, MAX_UPLOAD_BYTES: '200', SEARCH_MODE: 'keyword' }),
    dataDir,
  );
  bot = await startBot({ config, logger: createLogger({ level: 'debug', secrets: [fake.token], write: (line) => output.push(line) }) });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

const user = (n: number) => ({ id: String(300000000000000100n + BigInt(n)), username: `user${n}` });
const ask = (question: string, who = user(1)) =>
  fake.sendCommand({ guildId: GUILD, channelId: CHANNEL, user: who, memberPermissions: PLAIN, name: 'ask', options: [{ name: 'question', type: 3, value: question }] });
const addDocument = (attachmentId: string, roles: string[] = [ADMIN_ROLE], permissions = PLAIN) =>
  fake.sendCommand({ guildId: GUILD, channelId: CHANNEL, user: ADMIN, memberPermissions: permissions, memberRoles: roles, name: 'add-document', options: [{ name: 'file', type: 11, value: attachmentId }] });

async function finalText(handle: ReturnType<typeof ask>): Promise<string> {
  const callback = await handle.callback;
  if (callback.type !== 5) return callback.data.content ?? '';
  let last = '';
  for (;;) {
    const edit = await handle.nextEdit().catch(() => undefined);
    if (!edit) return last;
    last = edit.data.content ?? '';
    if (!last.startsWith('⏳')) return last;
  }
}

describe('members', () => {
  it('are rate-limited politely, per member', async () => {
    const member = user(2);
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push(await ask('support desk tickets', member).callback);
    expect(replies.slice(0, 2).every((reply) => reply.data.embeds?.length === 1)).toBe(true);
    expect(replies[2]!.data).toMatchObject({ flags: 64, content: expect.stringMatching(/^You're asking quickly! Please wait \d+ s/) });
    expect((await ask('support desk tickets', user(3)).callback).data.embeds).toHaveLength(1);
  });

  it('get a clear message for a 4,000-character question', async () => {
    const reply = await ask('why '.repeat(1000), user(4)).callback;
    expect(reply.data).toMatchObject({ flags: 64, content: expect.stringMatching(/limited to 1,000 characters/) });
  });
});

describe('admin commands', () => {
  it('are refused to a role a server override granted them to, when it is not an admin role', async () => {
    const file = fake.addAttachment('notes.md', '# Notes\n\nSome notes that are long enough to be one paragraph here.');
    expect(await finalText(addDocument(file.id, [OTHER_ROLE]))).toMatch(/Only server admins/);
    expect(fs.existsSync(path.join(dataDir, 'servers'))).toBe(false);
  });

  it('accept ADMIN_ROLE_IDS and Manage Server', async () => {
    const one = fake.addAttachment('one.md', '# One\n\nThe first document uploaded by a member with the admin role.');
    expect(await finalText(addDocument(one.id))).toMatch(/Added `one\.md`/);
    const two = fake.addAttachment('two.md', '# Two\n\nThe second document uploaded by a member with Manage Server.');
    expect(await finalText(addDocument(two.id, [], MANAGE))).toMatch(/Added `two\.md`/);
  });
});

describe('hostile or broken uploads', () => {
  it('a disallowed type is refused before download', async () => {
    const file = fake.addAttachment('payload.exe', 'MZ...');
    expect(await finalText(addDocument(file.id))).toMatch(/"payload\.exe" is not a supported document/);
    expect(fake.requests.some((request) => request.path.includes('payload.exe'))).toBe(false);
  });

  it('a file over the size limit is refused', async () => {
    const file = fake.addAttachment('big.md', '# Big\n\n' + 'words '.repeat(100));
    expect(await finalText(addDocument(file.id))).toMatch(/^"big\.md" is 607 bytes; the limit is 200 bytes\.$/);
  });

  it('a name like ../../x.md is stored inside the server\'s folder under a safe name', async () => {
    const file = fake.addAttachment('../../x.md', '# X\n\nA document whose name tried to climb out of its folder.');
    expect(await finalText(addDocument(file.id))).toMatch(/Added `x\.md`/);
    expect(fs.existsSync(path.join(dataDir, 'servers', GUILD, 'docs', 'x.md'))).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'x.md'))).toBe(false);
  });

  it('a failed download is reported and nothing is stored', async () => {
    const file = fake.addAttachment('broken.md', '# Broken\n\nNever arrives.', { fail: true });
    expect(await finalText(addDocument(file.id))).toMatch(/Could not download the attachment \(HTTP 500\)/);
    expect(fs.existsSync(path.join(dataDir, 'servers', GUILD, 'docs', 'broken.md'))).toBe(false);
  });
});

describe('the token', () => {
  it('never appears in the logs, even when requests fail', () => {
    const logs = output.join('\n');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(fake.token);
  });
});
