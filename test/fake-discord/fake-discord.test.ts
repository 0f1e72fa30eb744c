import { once } from 'node:events';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  ChannelType,
  Client,
  ContextMenuCommandBuilder,
  ApplicationCommandType,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  PermissionFlagsBits,
  Routes,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ForumChannel,
  type MessageContextMenuCommandInteraction,
  type ThreadChannel,
  type Guild,
  type GuildMember,
  type Message,
  type TextChannel,
} from 'discord.js';
import { describe, expect, it, onTestFinished } from 'vitest';
import { WebSocket } from 'ws';
import { FakeDiscord, type FakeDiscordOptions, type FakeGuild, type FakeUser } from './fake-discord.ts';

const GUILD = '100000000000000001';
const TEXT = '200000000000000001';
const FORUM = '200000000000000002';
const MOD_ROLE = '300000000000000001';
const MEMBER: FakeUser = { id: '400000000000000001', username: 'member' };
const GUILD_DEF: FakeGuild = {
  id: GUILD,
  name: 'Test guild',
  owner_id: '400000000000000009',
  roles: [
    { id: GUILD, name: '@everyone', permissions: String(PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages) },
    { id: MOD_ROLE, name: 'Moderator', permissions: String(PermissionFlagsBits.ManageGuild) },
  ],
  channels: [
    { id: TEXT, type: ChannelType.GuildText, name: 'general' },
    { id: FORUM, type: ChannelType.GuildForum, name: 'help' },
  ],
};
const DEFAULT_INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent];
/** A safety net for awaited events; nothing here should come close to it. */
const EVENT_TIMEOUT = () => ({ signal: AbortSignal.timeout(5000) });

/** A fake Discord with one guild and a real discord.js client logged in to it; both are torn down after the test. */
async function connect(options: { intents?: GatewayIntentBits[]; fake?: FakeDiscordOptions } = {}) {
  const fake = await FakeDiscord.start(options.fake);
  fake.addGuild(GUILD_DEF);
  const client = new Client({ intents: options.intents ?? DEFAULT_INTENTS, rest: { api: fake.restApiUrl } });
  onTestFinished(async () => {
    await client.destroy();
    await fake.stop();
  });
  const ready = once(client, Events.ClientReady, EVENT_TIMEOUT());
  await client.login(fake.token);
  await ready;
  return { fake, client };
}

/**
 * The first argument of the client's next `event`. Calling it right after the fake dispatches is safe: the dispatch
 * travels over a socket, so it cannot be emitted before this listener is attached.
 */
async function nextEvent<T>(client: Client, event: Events): Promise<T> {
  const [first] = await once(client, event, EVENT_TIMEOUT());
  return first as T;
}

describe('logging in', () => {
  it('reaches ClientReady with the guild, its channels and the bot role, after only GET /gateway/bot', async () => {
    const { fake, client } = await connect();
    expect(client.user?.id).toBe(fake.botUserId);
    expect(client.application?.id).toBe(fake.applicationId);
    const guild = client.guilds.cache.get(GUILD)!;
    expect(guild.name).toBe('Test guild');
    expect(guild.channels.cache.get(TEXT)?.type).toBe(ChannelType.GuildText);
    expect(guild.channels.cache.get(FORUM)?.type).toBe(ChannelType.GuildForum);
    expect(guild.members.me?.permissions.has(PermissionFlagsBits.SendMessages)).toBe(true);
    expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /gateway/bot']);
  });

  it('rejects a wrong token: REST answers 401 and client.login rejects with TokenInvalid', async () => {
    const fake = await FakeDiscord.start();
    const client = new Client({ intents: [], rest: { api: fake.restApiUrl } });
    onTestFinished(async () => {
      await client.destroy();
      await fake.stop();
    });
    await expect(client.login('MTAw.wrong.token')).rejects.toThrow(/invalid token/i);
    expect(fake.requests[0]).toMatchObject({ path: '/gateway/bot', status: 401 });
  });

  it('speaks the gateway protocol: HELLO, heartbeat ACK, READY, and close code 4004 for a wrong token', async () => {
    const fake = await FakeDiscord.start();
    onTestFinished(() => fake.stop());
    const socket = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json`);
    const next = async () => JSON.parse(String((await once(socket, 'message', EVENT_TIMEOUT()))[0]));
    expect(await next()).toMatchObject({ op: 10, d: { heartbeat_interval: 41_250 } });
    socket.send(JSON.stringify({ op: 1, d: null }));
    expect(await next()).toMatchObject({ op: 11 });
    socket.send(JSON.stringify({ op: 2, d: { token: fake.token, intents: 1, properties: {}, shard: [0, 1] } }));
    const ready = await next();
    expect(ready).toMatchObject({ op: 0, t: 'READY', s: 1, d: { v: 10, user: { id: fake.botUserId, bot: true }, application: { id: fake.applicationId } } });
    expect(ready.d.resume_gateway_url).toBe(fake.gatewayUrl);
    socket.close(1000);

    const intruder = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json`);
    intruder.once('message', () => intruder.send(JSON.stringify({ op: 2, d: { token: 'wrong', intents: 1, properties: {} } })));
    const [code] = await once(intruder, 'close', EVENT_TIMEOUT());
    expect(code).toBe(4004);
  });

  it('closes with 4014 when privileged intents are not enabled for the bot', async () => {
    const fake = await FakeDiscord.start({ privilegedIntentsEnabled: false });
    const client = new Client({ intents: DEFAULT_INTENTS, rest: { api: fake.restApiUrl } });
    onTestFinished(async () => {
      await client.destroy();
      await fake.stop();
    });
    await expect(client.login(fake.token)).rejects.toThrow(/disallowed intents/i);
  });

  it('resumes after a dropped connection and replays what was dispatched meanwhile', async () => {
    const { fake, client } = await connect();
    const resumed = once(client, Events.ShardResume, EVENT_TIMEOUT());
    fake.closeGatewayConnections(4000);
    fake.sendCommand({ guildId: GUILD, channelId: TEXT, user: MEMBER, name: 'ping' });
    const interaction = await nextEvent<ChatInputCommandInteraction>(client, Events.InteractionCreate);
    await resumed;
    expect(interaction.commandName).toBe('ping');
  });
});

describe('slash commands', () => {
  it('delivers a ChatInputCommandInteraction with options, resolved attachment and member permissions; reply arrives with flags 64', async () => {
    const { fake, client } = await connect();
    const file = fake.addAttachment('notes.md', '# Notes');
    const options = [
      { name: 'question', type: 3, value: 'When?' },
      { name: 'count', type: 4, value: 2 },
      { name: 'file', type: 11, value: file.id },
    ];
    const handle = fake.sendCommand({ guildId: GUILD, channelId: TEXT, user: MEMBER, memberRoles: [MOD_ROLE], name: 'ask', options });
    const interaction = await nextEvent<ChatInputCommandInteraction>(client, Events.InteractionCreate);
    expect(interaction.isChatInputCommand()).toBe(true);
    expect(interaction.options.getString('question')).toBe('When?');
    expect(interaction.options.getInteger('count')).toBe(2);
    expect(interaction.options.getAttachment('file')?.url).toBe(file.url);
    expect(interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(true);
    expect((interaction.member as GuildMember).permissions.has(PermissionFlagsBits.ManageGuild)).toBe(true);
    expect(interaction.channel?.id).toBe(TEXT);

    await interaction.reply({ content: 'Friday', ephemeral: true, allowedMentions: { parse: [] } });
    const callback = await handle.callback;
    expect(callback).toMatchObject({ type: 4, status: 204, data: { content: 'Friday', allowed_mentions: { parse: [] } } });
    expect(callback.data.flags & 64).toBe(64);
    expect(handle.finalMessage()).toMatchObject({ content: 'Friday', flags: 64 });
  });

  it('records deferReply as type 5, then editReply and followUp in order', async () => {
    const { fake, client } = await connect();
    const handle = fake.sendCommand({ guildId: GUILD, channelId: TEXT, user: MEMBER, name: 'slow' });
    const interaction = await nextEvent<ChatInputCommandInteraction>(client, Events.InteractionCreate);
    await interaction.deferReply();
    await interaction.editReply({ content: 'half way' });
    await interaction.editReply({ embeds: [{ title: 'Answer', description: 'Done.' }] });
    await interaction.followUp({ content: 'one more thing' });
    expect((await handle.callback).type).toBe(5);
    expect((await handle.nextEdit()).data.content).toBe('half way');
    expect((await handle.nextEdit()).data.embeds).toEqual([{ title: 'Answer', description: 'Done.' }]);
    expect((await handle.nextFollowUp()).data.content).toBe('one more thing');
    expect(handle.finalMessage()).toMatchObject({ content: 'half way', embeds: [{ type: 'rich', title: 'Answer' }], flags: 0 });
  });

  it('answers ?with_response=true with the created message', async () => {
    const { fake, client } = await connect();
    fake.sendCommand({ guildId: GUILD, channelId: TEXT, user: MEMBER, name: 'ping' });
    const interaction = await nextEvent<ChatInputCommandInteraction>(client, Events.InteractionCreate);
    const response = await interaction.reply({ content: 'pong', withResponse: true });
    expect(response.resource?.message?.content).toBe('pong');
    expect(response.interaction.responseMessageId).toBe(response.resource?.message?.id);
  });

  it('sends multipart replies: the files are recorded and served back as attachments', async () => {
    const { fake, client } = await connect();
    const handle = fake.sendCommand({ guildId: GUILD, channelId: TEXT, user: MEMBER, name: 'export' });
    const interaction = await nextEvent<ChatInputCommandInteraction>(client, Events.InteractionCreate);
    const response = await interaction.reply({ content: 'here', files: [{ attachment: Buffer.from('a,b\n1,2\n'), name: 'table.csv' }], withResponse: true });
    const callback = await handle.callback;
    expect(callback.data.content).toBe('here');
    expect(callback.files.map((file) => [file.filename, file.data.toString()])).toEqual([['table.csv', 'a,b\n1,2\n']]);
    const url = response.resource!.message!.attachments.first()!.url;
    expect(await (await fetch(url)).text()).toBe('a,b\n1,2\n');
  });

  it('enforces Discord limits: an over-long reply is refused with 50035 and the callback records the 400', async () => {
    const { fake, client } = await connect();
    const handle = fake.sendCommand({ guildId: GUILD, channelId: TEXT, user: MEMBER, name: 'long' });
    const interaction = await nextEvent<ChatInputCommandInteraction>(client, Events.InteractionCreate);
    const refused = await interaction.reply({ content: 'x'.repeat(2001) }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DiscordAPIError);
    expect((refused as DiscordAPIError).code).toBe(50035);
    expect((refused as DiscordAPIError).message).toMatch(/data\.content\[BASE_TYPE_MAX_LENGTH\]/);
    expect((await handle.callback).status).toBe(400);
  });

  it('refuses what Discord refuses: a second callback (40060), a follow-up before any callback (10015)', async () => {
    const { fake, client } = await connect();
    const handle = fake.sendCommand({ guildId: GUILD, channelId: TEXT, user: MEMBER, name: 'twice' });
    await nextEvent(client, Events.InteractionCreate);
    const followUpRoute = Routes.webhook(fake.applicationId, handle.token);
    await expect(client.rest.post(followUpRoute, { body: { content: 'too early' }, auth: false })).rejects.toMatchObject({ code: 10015 });
    const callbackRoute = Routes.interactionCallback(handle.id, handle.token);
    await client.rest.post(callbackRoute, { body: { type: 4, data: { content: 'first' } }, auth: false });
    await expect(client.rest.post(callbackRoute, { body: { type: 4, data: { content: 'second' } }, auth: false })).rejects.toMatchObject({ code: 40060 });
    expect((await handle.callback).data.content).toBe('first');
  });

  it('refuses a callback later than callbackDeadlineMs with 10062 Unknown interaction, as Discord after 3 s', async () => {
    const { fake, client } = await connect({ fake: { callbackDeadlineMs: 0 } });
    const handle = fake.sendCommand({ guildId: GUILD, channelId: TEXT, user: MEMBER, name: 'late' });
    const interaction = await nextEvent<ChatInputCommandInteraction>(client, Events.InteractionCreate);
    await expect(interaction.reply({ content: 'too late' })).rejects.toMatchObject({ code: 10062 });
    expect((await handle.callback).status).toBe(404);
  });

  it('registers commands with PUT, validates them, and dispatches with the registered id', async () => {
    const { fake, client } = await connect();
    const [registered] = await client.application!.commands.set([{ name: 'ask', description: 'Ask a question' }], GUILD).then((commands) => [...commands.values()]);
    expect(fake.registeredCommands.get(GUILD)).toMatchObject([{ id: registered!.id, name: 'ask', guild_id: GUILD }]);
    fake.sendCommand({ guildId: GUILD, channelId: TEXT, user: MEMBER, name: 'ask' });
    const interaction = await nextEvent<ChatInputCommandInteraction>(client, Events.InteractionCreate);
    expect(interaction.commandId).toBe(registered!.id);
    expect(interaction.commandGuildId).toBe(GUILD);
    await expect(client.application!.commands.set([{ name: 'Ask', description: '' }])).rejects.toMatchObject({ code: 50035 });
  });
});

describe('message context-menu commands', () => {
  it('registers a message command (capitals and spaces allowed, no description), and refuses one with options or a description', async () => {
    const { fake, client } = await connect();
    const definition = new ContextMenuCommandBuilder().setName('Add to knowledge base').setType(ApplicationCommandType.Message);
    await client.application!.commands.set([definition.toJSON()], GUILD);
    expect(fake.registeredCommands.get(GUILD)).toMatchObject([{ name: 'Add to knowledge base', type: 3, description: '' }]);
    const withDescription = { name: 'Add', type: 3, description: 'no' };
    await expect(client.rest.put(Routes.applicationGuildCommands(fake.applicationId, GUILD), { body: [withDescription] })).rejects.toMatchObject({ code: 50035 });
    const withOptions = { name: 'Add', type: 3, options: [{ name: 'x', description: 'x', type: 3 }] };
    await expect(client.rest.put(Routes.applicationGuildCommands(fake.applicationId, GUILD), { body: [withOptions] })).rejects.toMatchObject({ code: 50035 });
    await expect(client.rest.put(Routes.applicationGuildCommands(fake.applicationId, GUILD), { body: [{ name: '   ', type: 3 }] })).rejects.toMatchObject({ code: 50035 });
  });

  it('dispatches a type 3 command on a message: targetMessage is the whole message, content even without the Message Content intent', async () => {
    const { fake, client } = await connect({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages] });
    const [registered] = await client.application!.commands
      .set([new ContextMenuCommandBuilder().setName('Add to knowledge base').setType(ApplicationCommandType.Message).toJSON()], GUILD)
      .then((commands) => [...commands.values()]);
    const sent = fake.sendMessage({ guildId: GUILD, channelId: TEXT, author: { ...MEMBER, global_name: 'Member Name' }, content: 'The answer is 42.' });
    await nextEvent<Message>(client, Events.MessageCreate);
    const handle = fake.sendMessageCommand({ guildId: GUILD, channelId: TEXT, user: MEMBER, name: 'Add to knowledge base', targetMessageId: sent.id });
    const interaction = await nextEvent<MessageContextMenuCommandInteraction>(client, Events.InteractionCreate);
    expect(interaction.isMessageContextMenuCommand()).toBe(true);
    expect(interaction.commandId).toBe(registered!.id);
    expect(interaction.commandName).toBe('Add to knowledge base');
    expect(interaction.targetId).toBe(sent.id);
    expect(interaction.targetMessage.content).toBe('The answer is 42.');
    expect(interaction.targetMessage.author.displayName).toBe('Member Name');
    await interaction.reply({ content: 'Added', flags: 64 });
    expect(await handle.callback).toMatchObject({ type: 4, data: { content: 'Added', flags: 64 } });
    expect(() => fake.sendMessageCommand({ guildId: GUILD, channelId: FORUM, user: MEMBER, name: 'x', targetMessageId: sent.id })).toThrow(/not in channel/);
  });

  it('opens a thread on a member message; the bot reads its starter and its replies over REST, newest first and paged', async () => {
    const { fake, client } = await connect();
    const question = fake.sendMessage({ guildId: GUILD, channelId: TEXT, author: MEMBER, content: 'How do I reset?' });
    await nextEvent<Message>(client, Events.MessageCreate);
    const created = nextEvent<ThreadChannel>(client, Events.ThreadCreate);
    fake.startThread({ guildId: GUILD, messageId: question.id, name: 'Reset' });
    const thread = await created;
    expect(thread.id).toBe(question.id);
    for (const content of ['first reply', 'second reply', 'third reply']) {
      fake.sendMessage({ guildId: GUILD, channelId: thread.id, author: MEMBER, content });
      await nextEvent<Message>(client, Events.MessageCreate);
    }
    expect((await thread.fetchStarterMessage())?.content).toBe('How do I reset?');
    const newest = await thread.messages.fetch({ limit: 2, cache: false });
    expect([...newest.values()].map((message) => message.content)).toEqual(['third reply', 'second reply']);
    const older = await thread.messages.fetch({ limit: 2, before: newest.lastKey(), cache: false });
    expect([...older.values()].map((message) => message.content)).toEqual(['first reply']);
    const starter = await (client.channels.cache.get(TEXT) as TextChannel).messages.fetch({ message: question.id, force: true });
    expect(starter.hasThread).toBe(true);
    await expect(client.rest.get(Routes.channelMessages(thread.id), { query: new URLSearchParams({ limit: '101' }) })).rejects.toMatchObject({ code: 50035 });
  });

  it('hides content in REST reads too when the Message Content intent is not enabled for the app', async () => {
    const { fake, client } = await connect({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages], fake: { privilegedIntentsEnabled: false } });
    fake.sendMessage({ guildId: GUILD, channelId: TEXT, author: MEMBER, content: 'secret words' });
    await nextEvent<Message>(client, Events.MessageCreate);
    const fetched = await (client.channels.cache.get(TEXT) as TextChannel).messages.fetch({ limit: 10, cache: false });
    expect([...fetched.values()].map((message) => message.content)).toEqual(['']);
  });
});

describe('components and autocomplete', () => {
  it('clicks a button on the bot reply; update() is callback type 7 and changes that message', async () => {
    const { fake, client } = await connect();
    fake.sendCommand({ guildId: GUILD, channelId: TEXT, user: MEMBER, name: 'vote' });
    const command = await nextEvent<ChatInputCommandInteraction>(client, Events.InteractionCreate);
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId('vote:up').setLabel('👍').setStyle(ButtonStyle.Primary));
    const reply = await command.reply({ content: 'Useful?', components: [row], withResponse: true });

    const handle = fake.sendButton({ guildId: GUILD, channelId: TEXT, user: MEMBER, customId: 'vote:up' });
    const button = await nextEvent<ButtonInteraction>(client, Events.InteractionCreate);
    expect(button.isButton()).toBe(true);
    expect(button.message.id).toBe(reply.resource!.message!.id);
    await button.update({ content: 'Thanks!', components: [] });
    expect(await handle.callback).toMatchObject({ type: 7, data: { content: 'Thanks!', components: [] } });
    expect(fake.getMessage(button.message.id)).toMatchObject({ content: 'Thanks!', components: [] });
  });

  it('answers autocomplete with respond(): callback type 8 with the choices', async () => {
    const { fake, client } = await connect();
    const handle = fake.sendAutocomplete({ guildId: GUILD, channelId: TEXT, user: MEMBER, name: 'ask', options: [{ name: 'question', type: 3, value: 'gam', focused: true }] });
    const interaction = await nextEvent<AutocompleteInteraction>(client, Events.InteractionCreate);
    expect(interaction.isAutocomplete()).toBe(true);
    expect(interaction.options.getFocused()).toBe('gam');
    await interaction.respond([{ name: 'game night', value: 'game night' }]);
    expect(await handle.callback).toMatchObject({ type: 8, data: { choices: [{ name: 'game night', value: 'game night' }] } });
  });
});

describe('messages', () => {
  it('delivers a mention; message.reply() is recorded with message_reference, startThread() and thread.send() work', async () => {
    const { fake, client } = await connect();
    const sent = fake.sendMessage({ guildId: GUILD, channelId: TEXT, author: MEMBER, content: `<@${fake.botUserId}> when is game night?` });
    const message = await nextEvent<Message>(client, Events.MessageCreate);
    expect(message.mentions.users.has(fake.botUserId)).toBe(true);
    expect(message.member?.id).toBe(MEMBER.id);

    await message.reply({ content: 'Friday', allowedMentions: { parse: [] } });
    const reply = await fake.waitForChannelMessage((recorded) => recorded.channelId === TEXT);
    expect(reply.body).toMatchObject({ content: 'Friday', allowed_mentions: { parse: [] }, message_reference: { message_id: sent.id } });

    const thread = await message.startThread({ name: 'game night?' });
    expect(thread.id).toBe(sent.id);
    await thread.send({ content: 'Answer in the thread' });
    const inThread = await fake.waitForChannelMessage((recorded) => recorded.channelId === thread.id);
    expect(inThread.body.content).toBe('Answer in the thread');
    expect(fake.getChannel(thread.id)).toMatchObject({ type: ChannelType.PublicThread, name: 'game night?', parent_id: TEXT });
  });

  it('hides message content from a bot without the Message Content intent, unless it is mentioned', async () => {
    const { fake, client } = await connect({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages] });
    fake.sendMessage({ guildId: GUILD, channelId: TEXT, author: MEMBER, content: 'hello all' });
    expect((await nextEvent<Message>(client, Events.MessageCreate)).content).toBe('');
    fake.sendMessage({ guildId: GUILD, channelId: TEXT, author: MEMBER, content: `<@${fake.botUserId}> hi` });
    expect((await nextEvent<Message>(client, Events.MessageCreate)).content).toBe(`<@${fake.botUserId}> hi`);
  });

  it('sends GUILD_CREATE for a guild added later, and refuses to post where the bot lacks Send Messages (50013)', async () => {
    const { fake, client } = await connect();
    const readOnly: FakeGuild = {
      id: '100000000000000002',
      name: 'Read only',
      owner_id: MEMBER.id,
      roles: [{ id: '100000000000000002', name: '@everyone', permissions: '0' }],
      channels: [{ id: '200000000000000009', type: ChannelType.GuildText, name: 'news' }],
    };
    fake.addGuild(readOnly, { botPermissions: PermissionFlagsBits.ViewChannel });
    const guild = await nextEvent<Guild>(client, Events.GuildCreate);
    const news = guild.channels.cache.get('200000000000000009') as TextChannel;
    await expect(news.send('hello')).rejects.toMatchObject({ status: 403, code: 50013 });
  });

  it('creates a forum post: the first message is recorded in the new thread', async () => {
    const { fake, client } = await connect();
    const forum = client.channels.cache.get(FORUM) as ForumChannel;
    const post = await forum.threads.create({ name: 'How do I…', message: { content: 'Question body' } });
    const first = await fake.waitForChannelMessage((recorded) => recorded.channelId === post.id);
    expect(first.body.content).toBe('Question body');
    expect(fake.getChannel(post.id)).toMatchObject({ parent_id: FORUM, type: ChannelType.PublicThread });
  });
});

describe('the CDN and unknown routes', () => {
  it('serves attachment bytes, and fails downloads as asked', async () => {
    const fake = await FakeDiscord.start();
    onTestFinished(() => fake.stop());
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const file = fake.addAttachment('data.bin', bytes);
    const response = await fetch(file.url);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
    expect(file.size).toBe(5);
    expect((await fetch(fake.addAttachment('gone.md', 'x', { fail: 404 }).url)).status).toBe(404);
    expect((await fetch(fake.addAttachment('broken.md', 'x', { fail: true }).url)).status).toBe(500);
    await expect(fetch(fake.addAttachment('reset.md', 'x', { fail: 'reset' }).url)).rejects.toThrow();
    expect(fake.requests.map((request) => request.status)).toEqual([200, 404, 500, undefined]);
  });

  it('answers an unknown route with 404 Unknown route and records it', async () => {
    const { fake, client } = await connect();
    await expect(client.rest.get('/voice/regions')).rejects.toMatchObject({ status: 404, rawError: { message: 'Unknown route', code: 0 } });
    expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', path: '/voice/regions', route: undefined, status: 404 });
  });
});
