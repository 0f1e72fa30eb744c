import { PermissionFlagsBits, PermissionsBitField, type APIMessage } from 'discord.js';
import type { FakeChannel, FakeGuild, FakeRole, FakeUser } from '../types.ts';
import type { SnowflakeGenerator } from './snowflake.ts';

/** What `@everyone` may do when a test's guild does not define the role. */
const DEFAULT_EVERYONE_PERMISSIONS = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.ReadMessageHistory;

/** What the bot's own managed role grants unless `addGuild` is told otherwise: what a Q&A bot is invited with. */
export const DEFAULT_BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseApplicationCommands;

/** A guild as the fake holds it: the test's description plus the bot's managed role. */
export interface GuildState {
  readonly guild: FakeGuild;
  readonly botRole: FakeRole;
  readonly joinedAt: string;
}

/** A channel or thread, with the guild it belongs to. */
export interface ChannelState {
  readonly channel: FakeChannel;
  readonly guildId: string;
  /** Messages posted in it so far (Discord reports it for threads). */
  messageCount: number;
}

/**
 * Everything the fake Discord knows: guilds, channels and threads, users and their roles, and every message the bot
 * or a test created. Routes and dispatches read it to build payloads that agree with one another.
 */
export class FakeWorld {
  private readonly guildStates = new Map<string, GuildState>();
  private readonly channelStates = new Map<string, ChannelState>();
  private readonly users = new Map<string, FakeUser>();
  private readonly roleAssignments = new Map<string, readonly string[]>();
  private readonly messageStore = new Map<string, APIMessage>();

  constructor(
    readonly bot: FakeUser,
    readonly ids: SnowflakeGenerator,
  ) {
    this.rememberUser(bot);
  }

  addGuild(guild: FakeGuild, botPermissions: bigint): GuildState {
    const everyone = guild.roles.some((role) => role.id === guild.id) ? [] : [{ id: guild.id, name: '@everyone', permissions: String(DEFAULT_EVERYONE_PERMISSIONS) }];
    const botRole: FakeRole = { id: this.ids.next(), name: this.bot.username, permissions: String(botPermissions) };
    const state: GuildState = { guild: { ...guild, roles: [...everyone, ...guild.roles, botRole] }, botRole, joinedAt: new Date().toISOString() };
    this.guildStates.set(guild.id, state);
    for (const channel of guild.channels) this.addChannel({ owner_id: guild.owner_id, ...channel }, guild.id);
    this.rememberMember(guild.id, this.bot, [botRole.id]);
    return state;
  }

  guild(guildId: string): GuildState | undefined {
    return this.guildStates.get(guildId);
  }

  allGuilds(): GuildState[] {
    return [...this.guildStates.values()];
  }

  addChannel(channel: FakeChannel, guildId: string): ChannelState {
    const state: ChannelState = { channel, guildId, messageCount: 0 };
    this.channelStates.set(channel.id, state);
    return state;
  }

  channel(channelId: string): ChannelState | undefined {
    return this.channelStates.get(channelId);
  }

  /** Threads and channels of a guild, in the order they were added. */
  channelsOf(guildId: string): ChannelState[] {
    return [...this.channelStates.values()].filter((state) => state.guildId === guildId);
  }

  /** The guild and channel an event happens in; throws (a test's mistake) when the channel is not in that guild. */
  locate(guildId: string, channelId: string): { guild: GuildState; channel: ChannelState } {
    const guild = this.guildStates.get(guildId);
    const channel = this.channelStates.get(channelId);
    if (!guild) throw new Error(`fake Discord: unknown guild ${guildId}; add it with addGuild() first`);
    if (channel?.guildId !== guildId) throw new Error(`fake Discord: channel ${channelId} is not in guild ${guildId}`);
    return { guild, channel };
  }

  rememberUser(user: FakeUser): void {
    this.users.set(user.id, user);
  }

  user(userId: string): FakeUser | undefined {
    return this.users.get(userId);
  }

  rememberMember(guildId: string, user: FakeUser, roles: readonly string[]): void {
    this.rememberUser(user);
    this.roleAssignments.set(`${guildId}/${user.id}`, roles);
  }

  /** The member's role ids, or `undefined` when the user was never seen in that guild. */
  memberRoles(guildId: string, userId: string): readonly string[] | undefined {
    return this.roleAssignments.get(`${guildId}/${userId}`);
  }

  /**
   * A member's permissions as Discord computes them without channel overwrites (the fake has none): the owner and
   * administrators have all; everyone else has the union of `@everyone` and their roles.
   *
   * @see https://discord.com/developers/docs/topics/permissions#permission-overwrites
   */
  permissions(guildId: string, userId: string, roles: readonly string[]): bigint {
    const state = this.guildStates.get(guildId);
    if (!state) return 0n;
    if (state.guild.owner_id === userId) return PermissionsBitField.All;
    const granted = state.guild.roles
      .filter((role) => role.id === guildId || roles.includes(role.id))
      .reduce((bits, role) => bits | BigInt(role.permissions), 0n);
    return granted & PermissionFlagsBits.Administrator ? PermissionsBitField.All : granted;
  }

  botPermissions(guildId: string): bigint {
    return this.permissions(guildId, this.bot.id, this.memberRoles(guildId, this.bot.id) ?? []);
  }

  storeMessage(message: APIMessage): APIMessage {
    this.messageStore.set(message.id, message);
    return message;
  }

  deleteMessage(messageId: string): void {
    this.messageStore.delete(messageId);
  }

  message(messageId: string): APIMessage | undefined {
    return this.messageStore.get(messageId);
  }

  /** The messages of a channel or thread, oldest first (snowflakes grow with time). */
  messagesIn(channelId: string): APIMessage[] {
    return [...this.messageStore.values()].filter((message) => message.channel_id === channelId).sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  }

  /** The newest message in the channel that carries a component with this custom id (the message a button is on). */
  messageWithCustomId(channelId: string, customId: string): APIMessage | undefined {
    return [...this.messageStore.values()].reverse().find((message) => message.channel_id === channelId && hasCustomId(message.components, customId));
  }
}

/** Whether a component tree (rows, buttons, sections, containers…) holds a component with this custom id. */
function hasCustomId(node: unknown, customId: string): boolean {
  if (Array.isArray(node)) return node.some((child) => hasCustomId(child, customId));
  if (typeof node !== 'object' || node === null) return false;
  return Object.entries(node).some(([key, value]) => (key === 'custom_id' ? value === customId : hasCustomId(value, customId)));
}
