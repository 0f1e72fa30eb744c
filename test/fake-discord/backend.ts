import { ChannelType, GatewayDispatchEvents, type APIApplicationCommand, type APIAttachment, type APIMessage, type MessageFlags } from 'discord.js';
import { FakeCdn } from './cdn.ts';
import { GatewayServer, ownsGuild, type GatewaySession } from './gateway/gateway-server.ts';
import { hasGuildsIntent, messageForIntents } from './gateway/intents.ts';
import { messagePayload, type MessageInput } from './payloads/messages.ts';
import { channelPayload, guildCreatePayload, readyPayload } from './payloads/resources.ts';
import { Arrivals } from './state/arrivals.ts';
import type { InteractionRecord } from './state/interaction-record.ts';
import { SnowflakeGenerator } from './state/snowflake.ts';
import { FakeWorld, type ChannelState } from './state/world.ts';
import type { FakeUser, RecordedFile, RecordedMessage, RecordedRequest } from './types.ts';

/** How the fake behaves; see `FakeDiscord.start`. */
export interface BackendOptions {
  readonly token: string;
  readonly applicationId: string;
  readonly bot: FakeUser;
  readonly origin: string;
  readonly heartbeatIntervalMs: number;
  readonly privilegedIntentsEnabled: boolean;
  /** Callbacks later than this after the dispatch get 404 Unknown interaction, as Discord's 3 s rule. */
  readonly callbackDeadlineMs: number;
  /** The shard count `GET /gateway/bot` recommends. */
  readonly recommendedShards: number;
}

/**
 * The fake's internals, shared by the REST routes, the gateway and the test-facing `FakeDiscord`: the world, the
 * CDN, pending interactions, registered commands, and what the bot sent.
 */
export class FakeBackend {
  readonly ids = new SnowflakeGenerator();
  readonly world: FakeWorld;
  readonly cdn: FakeCdn;
  readonly gateway: GatewayServer;
  /** Pending interactions by token (the token is what callback and webhook routes carry). */
  readonly interactions = new Map<string, InteractionRecord>();
  /** Registered commands by scope: `'global'` or a guild id. */
  readonly commands = new Map<string, APIApplicationCommand[]>();
  readonly requests = new Arrivals<RecordedRequest>('request');
  readonly channelMessages = new Arrivals<RecordedMessage>('channel message');

  constructor(readonly options: BackendOptions) {
    this.world = new FakeWorld({ ...options.bot, bot: true }, this.ids);
    this.cdn = new FakeCdn(() => options.origin, this.ids);
    this.gateway = new GatewayServer({
      token: options.token,
      heartbeatIntervalMs: options.heartbeatIntervalMs,
      privilegedIntentsEnabled: options.privilegedIntentsEnabled,
      initialDispatches: (session) => this.initialDispatches(session),
    });
  }

  get applicationId(): string {
    return this.options.applicationId;
  }

  get gatewayUrl(): string {
    return `${this.options.origin.replace(/^http/, 'ws')}/gateway`;
  }

  /** Builds a message the bot sends, with files uploaded to the CDN as its attachments. */
  botMessage(input: Omit<MessageInput, 'author' | 'attachments'> & { readonly files?: readonly RecordedFile[] }): APIMessage {
    return messagePayload({ ...input, author: this.world.bot, attachments: this.upload(input.files ?? [], input.channelId) });
  }

  upload(files: readonly RecordedFile[], channelId: string): APIAttachment[] {
    return files.map((file) => this.cdn.add(file.filename, file.data, { contentType: file.contentType, channelId }));
  }

  /** Stores a new message and sends MESSAGE_CREATE to every session allowed to see it. */
  publishMessage(message: APIMessage): number {
    this.world.storeMessage(message);
    const thread = this.world.channel(message.channel_id);
    if (thread) thread.messageCount++;
    return this.gateway.broadcast(GatewayDispatchEvents.MessageCreate, (session) => messageForIntents(message, session.intents, this.world.bot.id), thread?.guildId);
  }

  /** Sends THREAD_CREATE for a thread (to sessions with the Guilds intent). */
  publishThread(thread: ChannelState, newlyCreated: boolean): void {
    const payload = { ...channelPayload(thread), newly_created: newlyCreated };
    this.gateway.broadcast(GatewayDispatchEvents.ThreadCreate, (session) => (hasGuildsIntent(session.intents) ? payload : undefined), thread.guildId ?? null);
  }

  /**
   * Opens a thread on `message` (in `parent`, a text or announcement channel), as Discord does: the thread has the
   * message's id, the message then points to it (`thread`, flag HAS_THREAD), and THREAD_CREATE goes out.
   */
  openThreadOnMessage(message: APIMessage, parent: ChannelState, name: string, ownerId: string): ChannelState {
    const HAS_THREAD = 1 << 5;
    const type = parent.channel.type === ChannelType.GuildAnnouncement ? ChannelType.AnnouncementThread : ChannelType.PublicThread;
    const thread = this.world.addChannel({ id: message.id, type, name, parent_id: parent.channel.id, owner_id: ownerId }, parent.guildId);
    this.world.storeMessage({ ...message, thread: channelPayload(thread), flags: ((message.flags ?? 0) | HAS_THREAD) as MessageFlags });
    this.publishThread(thread, true);
    return thread;
  }

  /** Stops every wait: interactions, channel messages, requests. */
  close(reason: string): void {
    for (const record of this.interactions.values()) record.close(reason);
    this.channelMessages.close(reason);
    this.requests.close(reason);
  }

  private initialDispatches(session: GatewaySession) {
    // A shard is told only of the guilds it owns, in READY and in GUILD_CREATE.
    const guilds = this.world.allGuilds().filter((state) => ownsGuild(session.shard, state.guild.id));
    const ready = readyPayload({ world: this.world, guilds, applicationId: this.applicationId, sessionId: session.id, resumeUrl: this.gatewayUrl, shard: session.shard });
    return [
      { t: GatewayDispatchEvents.Ready, d: ready },
      ...guilds.map((guild) => ({ t: GatewayDispatchEvents.GuildCreate, d: guildCreatePayload(guild, this.world) })),
    ];
  }
}
