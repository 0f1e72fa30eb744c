import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { startBot, type RunningBot } from '../../src/bot/start-bot.ts';
import { silentLogger } from '../../src/logger.ts';
import { FakeDiscord, type FakeUser } from '../fake-discord/fake-discord.ts';
import { makeDataDir, tinyModelEnv } from '../support/engine-fixture.ts';

const GUILD_A = '100000000000000001';
const GUILD_B = '100000000000000002';
const TEXT_A = '200000000000000001';
const TEXT_B = '200000000000000002';
const FORUM_A = '200000000000000003';
const OWNER = { id: '300000000000000009', username: 'owner' };
const MODERATOR: FakeUser = { id: '300000000000000001', username: 'mod', global_name: 'Alice Moderator' };
const MEMBER: FakeUser = { id: '300000000000000002', username: 'member', global_name: 'Bob' };
const ADMIN_PERMISSIONS = String(PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel);
const PLAIN = String(PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel);
const ADD = 'Add to knowledge base';
const REMOVE = 'Remove from knowledge base';

let fake: FakeDiscord;
let bot: RunningBot;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  for (const [id, channel] of [[GUILD_A, TEXT_A], [GUILD_B, TEXT_B]] as const) {
    const forum = id === GUILD_A ? [{ id: FORUM_A, type: 15, name: 'help' }] : [];
    fake.addGuild({ id, name: `Guild ${id.slice(-1)}`, owner_id: OWNER.id, roles: [{ id, name: '@everyone', permissions: '309237730304' }], channels: [{ id: channel, type: 0, name: 'general' }, ...forum] });
  }
  const dataDir = makeDataDir({ 'handbook.md': '# Handbook\n\nGame night happens every Friday at eight in the voice lounge.' });
  const env = tinyModelEnv(dataDir, { DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.restApiUrl, SEARCH_MODE: 'keyword' });
  bot = await startBot({ config: parseConfig(env, dataDir), logger: silentLogger });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

/** A member's message in a channel, delivered to the bot. */
function post(channelId: string, author: FakeUser, content: string, guildId = GUILD_A) {
  return fake.sendMessage({ guildId, channelId, author, content }).id;
}

function runOn(name: string, channelId: string, messageId: string, options: { guildId?: string; permissions?: string; user?: FakeUser } = {}) {
  return fake.sendMessageCommand({
    guildId: options.guildId ?? GUILD_A,
    channelId,
    user: options.user ?? OWNER,
    memberPermissions: options.permissions ?? ADMIN_PERMISSIONS,
    name,
    targetMessageId: messageId,
  });
}

/** The final text of a deferred reply. */
async function finalContent(handle: ReturnType<FakeDiscord['sendMessageCommand']>): Promise<string> {
  const callback = await handle.callback;
  if (callback.type === 4) return callback.data.content;
  let edit = await handle.nextEdit();
  while (edit.data.content?.startsWith('⏳')) edit = await handle.nextEdit();
  return edit.data.content;
}

async function ask(question: string, guildId = GUILD_A) {
  const handle = fake.sendCommand({ guildId, channelId: guildId === GUILD_A ? TEXT_A : TEXT_B, user: MEMBER, memberPermissions: PLAIN, name: 'ask', options: [{ name: 'question', type: 3, value: question }] });
  const callback = await handle.callback;
  return (callback.type === 4 ? callback.data : (await handle.nextEdit()).data).embeds[0];
}

const serverDocuments = async (guildId = GUILD_A) => (await bot.knowledge.listDocuments(guildId)).filter((document) => document.scope === guildId).map((document) => document.path);

describe('"Add to knowledge base" on a message', () => {
  it('registers both message commands as type 3, hidden from members without Manage Server', async () => {
    const { loadCommands } = await import('../../src/bot/command-loader.ts');
    const definitions = [...(await loadCommands()).values()].map((command) => command.data.toJSON());
    expect(definitions.filter((definition) => definition.type === 3)).toEqual([
      expect.objectContaining({ name: ADD, default_member_permissions: String(PermissionFlagsBits.ManageGuild) }),
      expect.objectContaining({ name: REMOVE, default_member_permissions: String(PermissionFlagsBits.ManageGuild) }),
    ]);
  });

  it('turns a moderator answer into a passage cited with author, date and a jump link, defused; "Remove" undoes it', async () => {
    const text = [
      'To reset your **password**, open Settings and choose "Forgot password"; <@300000000000000002> asked, and @everyone should know.',
      '',
      '# Not a heading',
    ].join('\n');
    const messageId = fake.sendMessage({ guildId: GUILD_A, channelId: TEXT_A, author: MODERATOR, content: text, mentions: [MEMBER] }).id;
    const added = await finalContent(runOn(ADD, TEXT_A, messageId));
    expect(added).toContain('📌 Added the message by **Alice Moderator**');
    expect(await serverDocuments()).toEqual([`discord-message-${TEXT_A}-${messageId}.html`]);

    const embed = await ask('How do I reset my password?');
    const field = embed.fields[0];
    expect(field.name).toContain(`Message in #general › Alice Moderator · ${new Date().toISOString().slice(0, 10)}`);
    expect(field.value).toContain(`[jump to the message](https://discord.com/channels/${GUILD_A}/${TEXT_A}/${messageId})`);
    expect(field.value).toContain('\\*\\*password\\*\\*'); // literal, not bold
    expect(field.value).toContain('@Bob asked'); // the mention became the name it showed
    expect(field.value).toContain('@\u200beveryone');
    expect(field.value).not.toMatch(/<@\d/);

    const removed = await finalContent(runOn(REMOVE, TEXT_A, messageId));
    expect(removed).toContain(`Removed \`discord-message-${TEXT_A}-${messageId}.html\``);
    expect(await serverDocuments()).toEqual([]);
    expect((await ask('How do I reset my password?')).description).toContain('No confident match');
    expect(await finalContent(runOn(REMOVE, TEXT_A, messageId))).toBe('This message is not in the knowledge base: nothing was removed.');
  });

  it('refuses a member without rights, for both commands, and keeps nothing', async () => {
    const messageId = post(TEXT_A, MEMBER, 'Parking is free on weekends behind the library building.');
    for (const name of [ADD, REMOVE]) {
      const reply = await runOn(name, TEXT_A, messageId, { user: MEMBER, permissions: PLAIN }).callback;
      expect(reply).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringContaining('Only server admins') } });
    }
    expect(await serverDocuments()).toEqual([]);
  });

  it("refuses the bot's own answers and messages without text", async () => {
    const own = post(TEXT_A, fake.botUser, 'Game night happens every Friday (quoted).');
    expect((await runOn(ADD, TEXT_A, own).callback).data.content).toContain("one of the bot's own answers");
    const empty = post(TEXT_A, MODERATOR, '   ');
    expect((await runOn(ADD, TEXT_A, empty).callback).data.content).toContain('no text to add');
    expect(await serverDocuments()).toEqual([]);
  });
});

describe('threads', () => {
  it('on a thread starter, takes the whole thread (question and replies, not the bot answers) as one document', async () => {
    const question = post(TEXT_A, MEMBER, 'How do I export my calendar to a spreadsheet?');
    fake.startThread({ guildId: GUILD_A, messageId: question, name: 'Calendar export' });
    post(question, fake.botUser, 'No confident match in the documents.');
    post(question, MODERATOR, 'Open the calendar, choose Export, then pick the CSV format for spreadsheets.');
    post(question, MEMBER, 'Thanks, the CSV export worked!');

    const added = await finalContent(runOn(ADD, TEXT_A, question));
    expect(added).toContain('**Thread: Calendar export**: 3 messages by **Bob**, **Alice Moderator**');
    expect(added).toContain("Left out: 1 of the bot's own answers.");
    expect(await serverDocuments()).toEqual([`discord-thread-${TEXT_A}-${question}.html`]);

    const embed = await ask('How do I export the calendar as CSV?');
    expect(embed.fields[0].name).toContain('Thread: Calendar export › Alice Moderator');
    expect(embed.fields[0].value).toContain(`[jump to the thread](https://discord.com/channels/${GUILD_A}/${TEXT_A}/${question})`);

    expect(await finalContent(runOn(REMOVE, TEXT_A, question))).toContain(`Removed \`discord-thread-${TEXT_A}-${question}.html\``);
    expect(await serverDocuments()).toEqual([]);
  });

  it('on a reply inside a thread, takes the reply, and its button replaces it by the whole thread', async () => {
    const question = post(TEXT_A, MEMBER, 'Where are the spare projector cables kept?');
    fake.startThread({ guildId: GUILD_A, messageId: question, name: 'Projector cables' });
    const answer = post(question, MODERATOR, 'The spare projector cables are in the blue cabinet of room 12.');

    const handle = runOn(ADD, question, answer);
    const added = await finalContent(handle);
    expect(added).toContain('📌 Added the message by **Alice Moderator**');
    expect(await serverDocuments()).toEqual([`discord-message-${question}-${answer}.html`]);
    const button = handle.lastEdit()!.data.components[0].components[0];
    expect(button.label).toBe('Add the whole thread instead');

    const click = fake.sendButton({ guildId: GUILD_A, channelId: question, user: OWNER, memberPermissions: ADMIN_PERMISSIONS, customId: button.custom_id });
    expect((await click.callback).type).toBe(6);
    let edit = await click.nextEdit();
    while (edit.data.content?.startsWith('⏳')) edit = await click.nextEdit();
    expect(edit.data.content).toContain('**Thread: Projector cables**: 2 messages');
    expect(edit.data.components).toEqual([]);
    expect(await serverDocuments()).toEqual([`discord-thread-${TEXT_A}-${question}.html`]);

    const refused = fake.sendButton({ guildId: GUILD_A, channelId: question, user: MEMBER, memberPermissions: PLAIN, customId: button.custom_id, messageId: handle.finalMessage().id });
    expect((await refused.callback).data.content).toContain('Only server admins');

    expect(await finalContent(runOn(REMOVE, question, answer))).toContain(`Removed \`discord-thread-${TEXT_A}-${question}.html\``);
    expect(await serverDocuments()).toEqual([]);
  });

  it('on a forum post, whose starter is in the post itself, takes the whole post', async () => {
    const post = fake.startForumPost({ guildId: GUILD_A, forumId: FORUM_A, name: 'Printer jams', author: MEMBER, content: 'The hallway printer keeps jamming on A3 paper.' });
    fake.sendMessage({ guildId: GUILD_A, channelId: post, author: MODERATOR, content: 'Load A3 paper in tray two only; tray one jams on large sheets.' });
    const added = await finalContent(runOn(ADD, post, post));
    expect(added).toContain('**Thread: Printer jams**: 2 messages');
    expect(await serverDocuments()).toEqual([`discord-thread-${post}-${post}.html`]);
    const embed = await ask('Which tray takes A3 paper for the printer?');
    expect(embed.fields[0].value).toContain(`[jump to the thread](https://discord.com/channels/${GUILD_A}/${post}/${post})`);
    await finalContent(runOn(REMOVE, post, post));
    expect(await serverDocuments()).toEqual([]);
  });
});

describe('server isolation', () => {
  it("a message captured in server A never answers in server B, and B cannot remove A's capture", async () => {
    const messageId = post(TEXT_A, MODERATOR, 'The office wifi password rotates every Monday morning.');
    await finalContent(runOn(ADD, TEXT_A, messageId));
    expect((await ask('When does the wifi password rotate?', GUILD_A)).fields[0].value).toContain('rotates every Monday');
    expect((await ask('When does the wifi password rotate?', GUILD_B)).description).toContain('No confident match');
    expect(await serverDocuments(GUILD_B)).toEqual([]);
    const inB = post(TEXT_B, MODERATOR, 'The office wifi password rotates every Monday morning.', GUILD_B);
    expect(await finalContent(runOn(REMOVE, TEXT_B, inB, { guildId: GUILD_B }))).toContain('not in the knowledge base');
    expect(await serverDocuments()).toEqual([`discord-message-${TEXT_A}-${messageId}.html`]);
    await finalContent(runOn(REMOVE, TEXT_A, messageId));
  });
});
