import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { ApplicationCommandType, ButtonStyle, ChannelType, ComponentType, GatewayDispatchEvents, type APIApplicationCommand, type APIChannel, type APIMessage } from 'discord.js';
import { FakeBackend } from './backend.ts';
import { listenOnLoopback, serveBackend } from './http-server.ts';
import {
  autocompleteInteraction,
  buttonInteraction,
  commandInteraction,
  messageCommandInteraction,
  type CommandReference,
  type InteractionInput,
} from './payloads/interactions.ts';
import { messagePayload } from './payloads/messages.ts';
import { channelPayload, guildCreatePayload } from './payloads/resources.ts';
import { InteractionRecord, type InteractionKind } from './state/interaction-record.ts';
import { DEFAULT_BOT_PERMISSIONS } from './state/world.ts';
import type {
  AttachmentFailure,
  FakeAttachment,
  FakeAutocompleteInput,
  FakeButtonInput,
  FakeCommandInput,
  FakeCommandOption,
  FakeGuild,
  FakeInteractionTarget,
  FakeMessageCommandInput,
  FakeMessageInput,
  FakeThreadInput,
  FakeUser,
  InteractionHandle,
  RecordedMessage,
  RecordedRequest,
} from './types.ts';

export type * from './types.ts';

/** How to start a {@link FakeDiscord}; every field has a default. */
export interface FakeDiscordOptions {
  /** The only token accepted (default: a fresh random one shaped like a real bot token). */
  readonly token?: string;
  /** Default: the bot user's id, as for applications created since 2020. */
  readonly applicationId?: string;
  readonly botUserId?: string;
  readonly botUsername?: string;
  /**
   * Whether the bot may use privileged intents (Message Content, Server Members, Presence). When false, IDENTIFY
   * with one of them is closed with 4014 and `client.login()` rejects with "Used disallowed intents". Default true.
   */
  readonly privilegedIntentsEnabled?: boolean;
  /**
   * Answer interaction callbacks that arrive later than this after the dispatch with 404 Unknown interaction, as
   * Discord does after 3000 ms. Default: no deadline, so a slow test machine does not fail tests.
   */
  readonly callbackDeadlineMs?: number;
  /** The heartbeat interval HELLO announces. Default 41250 ms, as Discord. */
  readonly heartbeatIntervalMs?: number;
  /**
   * The shard count `GET /gateway/bot` recommends (what `shards: 'auto'` and `SHARDS=auto` use). Default 1. Whatever
   * it says, each session gets only the events of the guilds its IDENTIFY `shard` owns.
   */
  readonly recommendedShards?: number;
}

/**
 * A local Discord for end-to-end tests: REST API, gateway and CDN on 127.0.0.1, speaking enough of the real
 * protocol for the real discord.js `Client` to log in, receive guilds, interactions and messages, and answer them.
 * Tests drive it (`sendCommand`, `sendMessage`…) and observe what the bot sent (handles, `waitForChannelMessage`,
 * `requests`). Discord's limits and errors are enforced, so what passes here should pass against Discord.
 *
 * @example
 * const fake = await FakeDiscord.start();
 * fake.addGuild({ id: GUILD, name: 'Test', owner_id: OWNER, roles: [], channels: [{ id: CHANNEL, type: 0, name: 'general' }] });
 * const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.restApiUrl } });
 * await client.login(fake.token);
 * const reply = await fake.sendCommand({ guildId: GUILD, channelId: CHANNEL, user, name: 'ping' }).callback;
 *
 * @see https://discord.com/developers/docs/reference
 */
export class FakeDiscord {
  private stopped: Promise<void> | undefined;

  private constructor(
    private readonly backend: FakeBackend,
    private readonly server: http.Server,
  ) {}

  /** Starts the fake on a random port of 127.0.0.1; the REST API, the gateway and the CDN share it. */
  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const { server, origin } = await listenOnLoopback();
    const botUserId = options.botUserId ?? '1000000000000000001';
    const backend = new FakeBackend({
      token: options.token ?? realisticToken(botUserId),
      applicationId: options.applicationId ?? botUserId,
      bot: { id: botUserId, username: options.botUsername ?? 'FakeBot', bot: true },
      origin,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      privilegedIntentsEnabled: options.privilegedIntentsEnabled ?? true,
      callbackDeadlineMs: options.callbackDeadlineMs ?? Number.POSITIVE_INFINITY,
      recommendedShards: options.recommendedShards ?? 1,
    });
    serveBackend(server, backend);
    return new FakeDiscord(backend, server);
  }

  /** The only token the fake accepts: others get 401 from REST and close code 4004 from the gateway. */
  get token(): string {
    return this.backend.options.token;
  }

  /** The base URL to give discord.js: `new Client({ rest: { api: fake.restApiUrl } })` (it appends `/v10`). */
  get restApiUrl(): string {
    return `${this.backend.options.origin}/api`;
  }

  /** The gateway URL `GET /gateway/bot` hands out (discord.js appends `?v=10&encoding=json`). */
  get gatewayUrl(): string {
    return this.backend.gatewayUrl;
  }

  get applicationId(): string {
    return this.backend.applicationId;
  }

  get botUserId(): string {
    return this.backend.world.bot.id;
  }

  /** The bot's user, e.g. to mention it in `sendMessage`. */
  get botUser(): FakeUser {
    return this.backend.world.bot;
  }

  /** Every HTTP request the bot made (REST and CDN), in arrival order; unknown routes have `route: undefined`. */
  get requests(): readonly RecordedRequest[] {
    return this.backend.requests.all;
  }

  /** Every message the bot posted with its token (channels, threads, forum posts), in order. */
  get channelMessages(): readonly RecordedMessage[] {
    return this.backend.channelMessages.all;
  }

  /** The registered commands by scope, `'global'` or a guild id, as Discord returned them (with ids). */
  get registeredCommands(): ReadonlyMap<string, readonly APIApplicationCommand[]> {
    return this.backend.commands;
  }

  /** Whether a bot is logged in to the gateway (connected, or disconnected and able to resume). */
  get hasSession(): boolean {
    return this.backend.gateway.activeSessions.length > 0;
  }

  /**
   * Adds a guild the bot is in: in READY and a GUILD_CREATE at login, or a GUILD_CREATE at once when a bot is
   * already logged in. The bot gets a managed role with `botPermissions` (default: view, send, threads, embeds,
   * files, history, reactions, application commands); it decides what the bot may do in REST calls.
   */
  addGuild(guild: FakeGuild, options: { botPermissions?: bigint } = {}): void {
    const state = this.backend.world.addGuild(guild, options.botPermissions ?? DEFAULT_BOT_PERMISSIONS);
    this.backend.gateway.broadcast(GatewayDispatchEvents.GuildCreate, () => guildCreatePayload(state, this.backend.world), guild.id);
  }

  /**
   * Serves a file on the fake CDN and returns its attachment object: pass `id` as the value of an attachment option
   * (type 11) in `sendCommand`, or the object in `sendMessage({ attachments })`. `fail` makes downloads fail.
   */
  addAttachment(fileName: string, body: Buffer | string, options: { fail?: AttachmentFailure; contentType?: string } = {}): FakeAttachment {
    return this.backend.cdn.add(fileName, body, options);
  }

  /**
   * Dispatches a slash command (INTERACTION_CREATE type 2) with its options; users, roles, channels and attachments
   * they name are resolved. The command id is the registered command's, when one has that name.
   */
  sendCommand(options: FakeCommandInput): InteractionHandle {
    const command = this.commandReference(options.name, options.guildId, options.commandId);
    return this.dispatchInteraction('command', options, undefined, (input) => commandInteraction(input, options.name, options.options ?? [], command));
  }

  /**
   * Dispatches a message context-menu command (INTERACTION_CREATE type 2, command type 3: "Apps" → the command, on a
   * message) on `targetMessageId`, which must be in `channelId`; the message comes whole in `resolved.messages`.
   */
  sendMessageCommand(options: FakeMessageCommandInput): InteractionHandle {
    const message = this.backend.world.message(options.targetMessageId);
    if (!message) throw new Error(`fake Discord: unknown message ${options.targetMessageId}`);
    if (message.channel_id !== options.channelId) throw new Error(`fake Discord: message ${message.id} is not in channel ${options.channelId}`);
    const command = this.commandReference(options.name, options.guildId, options.commandId, ApplicationCommandType.Message);
    return this.dispatchInteraction('command', options, undefined, (input) => messageCommandInteraction(input, options.name, message, command));
  }

  /**
   * Opens a thread on a member's message in a text or announcement channel, as a member does in Discord's client:
   * the thread has the message's id, the message points to it, and THREAD_CREATE goes to the bot. Then
   * `sendMessage({ channelId: thread id })` posts replies in it.
   */
  startThread(options: FakeThreadInput): APIChannel {
    const message = this.backend.world.message(options.messageId);
    if (!message) throw new Error(`fake Discord: unknown message ${options.messageId}`);
    const { channel } = this.backend.world.locate(options.guildId, message.channel_id);
    if (channel.channel.type !== ChannelType.GuildText && channel.channel.type !== ChannelType.GuildAnnouncement) {
      throw new Error(`fake Discord: threads open on messages of text or announcement channels, not of channel ${channel.channel.id}`);
    }
    if (this.backend.world.channel(message.id)) throw new Error(`fake Discord: message ${message.id} already has a thread`);
    return channelPayload(this.backend.openThreadOnMessage(message, channel, options.name, options.ownerId ?? message.author.id));
  }

  /**
   * A member opens a forum post: a public thread in the forum whose first message (the question) has the thread's
   * id, as Discord makes it; THREAD_CREATE then MESSAGE_CREATE go to the bot. Returns the thread's id.
   */
  startForumPost(options: { guildId: string; forumId: string; name: string; author: FakeUser; content: string }): string {
    const { world } = this.backend;
    const { guild, channel: forum } = world.locate(options.guildId, options.forumId);
    if (forum.channel.type !== ChannelType.GuildForum && forum.channel.type !== ChannelType.GuildMedia) throw new Error(`fake Discord: channel ${options.forumId} is not a forum`);
    const id = this.backend.ids.next();
    const thread = world.addChannel({ id, type: ChannelType.PublicThread, name: options.name, parent_id: forum.channel.id, owner_id: options.author.id }, options.guildId);
    this.backend.publishThread(thread, true);
    const roles = this.rememberMember(options.guildId, options.author, undefined);
    const member = { roles, joinedAt: guild.joinedAt };
    this.backend.publishMessage(messagePayload({ id, channelId: id, guildId: options.guildId, author: options.author, member, body: { content: options.content } }));
    return id;
  }

  /**
   * Dispatches a button click (INTERACTION_CREATE type 3) on a message: `messageId`, else the newest message that
   * has a component with this custom id (e.g. the bot's reply), else a new bot message holding just that button.
   */
  sendButton(options: FakeButtonInput): InteractionHandle {
    const message = this.messageForButton(options);
    return this.dispatchInteraction('component', options, message.id, (input) => buttonInteraction(input, options.customId, message));
  }

  /** Dispatches an autocomplete request (INTERACTION_CREATE type 4); exactly one option must be `focused: true`. */
  sendAutocomplete(options: FakeAutocompleteInput): InteractionHandle {
    if (countFocused(options.options) !== 1) throw new Error('fake Discord: an autocomplete interaction needs exactly one option with focused: true');
    const command = this.commandReference(options.name, options.guildId, options.commandId);
    return this.dispatchInteraction('autocomplete', options, undefined, (input) => autocompleteInteraction(input, options.name, options.options, command));
  }

  /**
   * Dispatches MESSAGE_CREATE for a member's message (to bots with the Guild Messages intent; content only with
   * Message Content or when the bot is mentioned). `<@id>` mentions of known users are found in the content too.
   */
  sendMessage(options: FakeMessageInput): { id: string; dispatchedAt: number } {
    this.requireSession();
    const { world } = this.backend;
    const { guild } = world.locate(options.guildId, options.channelId);
    const roles = this.rememberMember(options.guildId, options.author, options.memberRoles);
    const mentioned = [...options.content.matchAll(/<@!?(\d+)>/g)].map((match) => world.user(match[1]!)).filter((user) => user !== undefined);
    const mentions = [...new Map([...(options.mentions ?? []), ...mentioned].map((user) => [user.id, user])).values()];
    const message = messagePayload({
      id: this.backend.ids.next(),
      channelId: options.channelId,
      guildId: options.guildId,
      author: options.author,
      member: { roles, joinedAt: guild.joinedAt },
      body: { content: options.content },
      attachments: options.attachments,
      mentions,
    });
    return { id: message.id, dispatchedAt: this.backend.publishMessage(message) };
  }

  /** Resolves with the first message the bot posts (or posted) that matches and no earlier call took. */
  waitForChannelMessage(predicate?: (message: RecordedMessage) => boolean, timeoutMs = 10_000): Promise<RecordedMessage> {
    return this.backend.channelMessages.take(predicate, timeoutMs);
  }

  /** Resolves with the first request (made already, or to come) that matches; e.g. the command registration. */
  waitForRequest(predicate: (request: RecordedRequest) => boolean, timeoutMs = 10_000): Promise<RecordedRequest> {
    return this.backend.requests.find(predicate, timeoutMs);
  }

  /** A channel or thread as `GET /channels/{id}` returns it (threads the bot created included). */
  getChannel(channelId: string): APIChannel | undefined {
    const state = this.backend.world.channel(channelId);
    return state && channelPayload(state);
  }

  /** A message as it stands (edits applied), whoever sent it. */
  getMessage(messageId: string): APIMessage | undefined {
    return this.backend.world.message(messageId);
  }

  /**
   * Drops every gateway connection with `code`. With a resumable code (default 4000) discord.js reconnects and
   * RESUMEs, and the dispatches it missed are replayed; with another, it identifies again.
   */
  closeGatewayConnections(code = 4000): void {
    this.backend.gateway.closeConnections(code);
  }

  /** Closes every socket and the server, and rejects whatever still waits. Safe to call twice. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.backend.close('the fake Discord stopped');
      await this.backend.gateway.close();
      this.server.closeAllConnections();
      await new Promise<void>((resolve) => this.server.close(() => resolve()));
    })();
    return this.stopped;
  }

  private dispatchInteraction(
    kind: InteractionKind,
    target: FakeInteractionTarget,
    componentMessageId: string | undefined,
    build: (input: InteractionInput) => unknown,
  ): InteractionHandle {
    this.requireSession();
    const { backend } = this;
    backend.world.locate(target.guildId, target.channelId);
    this.rememberMember(target.guildId, target.user, target.memberRoles);
    const id = backend.ids.next();
    const token = `aW50ZXJhY3Rpb246${id}:${randomBytes(48).toString('base64url')}`;
    const attachment = (attachmentId: string) => backend.cdn.attachment(attachmentId);
    const payload = build({ world: backend.world, applicationId: backend.applicationId, id, token, target, attachment });
    const record = new InteractionRecord({ id, token, kind, channelId: target.channelId, guildId: target.guildId, user: target.user, componentMessageId }, backend.world);
    backend.interactions.set(token, record);
    record.dispatchedAt = backend.gateway.broadcast(GatewayDispatchEvents.InteractionCreate, () => payload, target.guildId ?? null);
    return record.handle();
  }

  /** A member's roles: the ones given, else those last given for that user in that guild. */
  private rememberMember(guildId: string, user: FakeUser, roles: readonly string[] | undefined): readonly string[] {
    const known = roles ?? this.backend.world.memberRoles(guildId, user.id) ?? [];
    this.backend.world.rememberMember(guildId, user, known);
    return known;
  }

  private messageForButton(options: FakeButtonInput): APIMessage {
    const { world } = this.backend;
    world.locate(options.guildId, options.channelId);
    const known = options.messageId ? world.message(options.messageId) : world.messageWithCustomId(options.channelId, options.customId);
    if (known && known.channel_id !== options.channelId) throw new Error(`fake Discord: message ${known.id} is not in channel ${options.channelId}`);
    if (known) return known;
    const button = { type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: options.customId, label: options.customId.slice(0, 80) };
    const body = { components: [{ type: ComponentType.ActionRow, components: [button] }] };
    const id = options.messageId ?? this.backend.ids.next();
    return world.storeMessage(this.backend.botMessage({ id, channelId: options.channelId, guildId: options.guildId, body }));
  }

  private commandReference(name: string, guildId: string, commandId: string | undefined, type = ApplicationCommandType.ChatInput): CommandReference {
    const matches = (command: APIApplicationCommand) => command.name === name && command.type === type;
    const guildCommand = this.backend.commands.get(guildId)?.find(matches);
    const globalCommand = this.backend.commands.get('global')?.find(matches);
    if (commandId) return { id: commandId, ...(guildCommand?.id === commandId ? { guildId } : {}) };
    if (guildCommand) return { id: guildCommand.id, guildId };
    return { id: globalCommand?.id ?? this.backend.ids.next() };
  }

  private requireSession(): void {
    if (!this.hasSession) throw new Error('fake Discord: no bot is logged in to the gateway; await client.login() first');
  }
}

function countFocused(options: readonly FakeCommandOption[]): number {
  return options.reduce((count, option) => count + (option.focused ? 1 : 0) + countFocused(option.options ?? []), 0);
}

/** A token shaped like Discord's: base64 of the bot id, a timestamp part, and an HMAC part. */
function realisticToken(botUserId: string): string {
  return `${Buffer.from(botUserId).toString('base64url')}.${randomBytes(4).toString('base64url')}.${randomBytes(27).toString('base64url')}`;
}
