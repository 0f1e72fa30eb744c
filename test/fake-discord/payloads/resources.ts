/**
 * Builders of Discord API objects (v10) for users, members, roles, channels, guilds, the application and READY.
 * Return types come from discord-api-types (re-exported by discord.js), so the compiler checks that every payload
 * has what Discord sends; discord.js builds its structures from exactly these shapes.
 */
import {
  ChannelType,
  ForumLayoutType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  Locale,
  type ApplicationFlags,
  type APIApplication,
  type APIChannel,
  type APIGuild,
  type APIGuildMember,
  type APIRole,
  type APIUser,
  type ChannelFlags,
  type GuildMemberFlags,
  type RoleFlags,
  type UserFlags,
  type GatewayGuildCreateDispatchData,
  type GatewayReadyDispatchData,
  type RESTGetAPIGatewayBotResult,
} from 'discord.js';
import type { ChannelState, FakeWorld, GuildState } from '../state/world.ts';
import type { FakeRole, FakeUser } from '../types.ts';

const THREAD_TYPES: ReadonlySet<number> = new Set([ChannelType.PublicThread, ChannelType.PrivateThread, ChannelType.AnnouncementThread]);

export function isThread(type: number): boolean {
  return THREAD_TYPES.has(type);
}

export function userPayload(user: FakeUser): APIUser {
  return {
    id: user.id,
    username: user.username,
    discriminator: '0',
    global_name: user.global_name ?? (user.bot ? null : user.username),
    avatar: null,
    bot: user.bot ?? false,
    system: false,
    public_flags: 0 as UserFlags,
    flags: 0 as UserFlags,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
  };
}

export function memberPayload(user: FakeUser, roles: readonly string[], joinedAt: string): APIGuildMember {
  return {
    user: userPayload(user),
    nick: null,
    avatar: null,
    banner: null,
    roles: [...roles],
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

export function rolePayload(role: FakeRole, position: number, state: GuildState, botId: string): APIRole {
  const isBotRole = role.id === state.botRole.id;
  return {
    id: role.id,
    name: role.name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: role.id === state.guild.id ? 0 : position,
    permissions: role.permissions,
    managed: isBotRole,
    mentionable: false,
    flags: 0 as RoleFlags,
    ...(isBotRole ? { tags: { bot_id: botId } } : {}),
  };
}

/**
 * A channel or thread object as REST returns it (and as a thread appears in GUILD_CREATE). Forum channels carry
 * their tag and layout fields, threads their metadata: discord.js reads both unconditionally.
 */
export function channelPayload(state: ChannelState, position = 0): APIChannel {
  const { channel, guildId } = state;
  const common = { id: channel.id, name: channel.name, guild_id: guildId, flags: 0 as ChannelFlags, nsfw: false, parent_id: channel.parent_id ?? null };
  if (isThread(channel.type)) {
    const now = new Date().toISOString();
    return {
      ...common,
      parent_id: channel.parent_id ?? '0',
      type: channel.type as ChannelType.PublicThread,
      owner_id: channel.owner_id ?? '0',
      last_message_id: null,
      rate_limit_per_user: 0,
      message_count: state.messageCount,
      member_count: 1,
      total_message_sent: state.messageCount,
      thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: now, locked: false, create_timestamp: now },
      applied_tags: [],
    };
  }
  const placed = { ...common, position, permission_overwrites: [] };
  if (channel.type === ChannelType.GuildForum) {
    return {
      ...placed,
      type: ChannelType.GuildForum,
      topic: channel.topic ?? null,
      last_message_id: null,
      rate_limit_per_user: 0,
      available_tags: [],
      default_reaction_emoji: null,
      default_thread_rate_limit_per_user: 0,
      default_sort_order: null,
      default_forum_layout: ForumLayoutType.NotSet,
      default_auto_archive_duration: 1440,
    };
  }
  if (channel.type === ChannelType.GuildCategory) return { ...placed, parent_id: null, type: ChannelType.GuildCategory };
  const text = { topic: channel.topic ?? null, last_message_id: null, rate_limit_per_user: 0, default_auto_archive_duration: 1440 } as const;
  return { ...placed, ...text, type: channel.type as ChannelType.GuildText };
}

/** The guild object REST returns (`GET /guilds/{id}`): no channels or members, unlike GUILD_CREATE. */
export function guildPayload(state: GuildState, world: FakeWorld): APIGuild {
  const { guild } = state;
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: guild.owner_id,
    region: 'deprecated',
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles: guild.roles.map((role, index) => rolePayload(role, index, state, world.bot.id)),
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotifications,
    rules_channel_id: null,
    max_presences: null,
    max_members: 500_000,
    vanity_url_code: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: Locale.EnglishUS,
    public_updates_channel_id: null,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    nsfw_level: GuildNSFWLevel.Default,
    premium_progress_bar_enabled: false,
    safety_alerts_channel_id: null,
    hub_type: null,
    incidents_data: null,
  };
}

/** GUILD_CREATE: the guild with its channels, active threads and the bot's own member. */
export function guildCreatePayload(state: GuildState, world: FakeWorld): GatewayGuildCreateDispatchData {
  const channels = world.channelsOf(state.guild.id);
  const placed = channels.filter((entry) => !isThread(entry.channel.type));
  const members = [memberPayload(world.bot, [state.botRole.id], state.joinedAt)];
  return {
    ...guildPayload(state, world),
    joined_at: state.joinedAt,
    large: false,
    unavailable: false,
    member_count: 2,
    voice_states: [],
    members,
    // Discord leaves guild_id out of channels inside GUILD_CREATE; discord.js fills it in.
    channels: placed.map((entry, position) => withoutGuildId(channelPayload(entry, position))) as GatewayGuildCreateDispatchData['channels'],
    threads: channels.filter((entry) => isThread(entry.channel.type)).map((entry) => channelPayload(entry)) as GatewayGuildCreateDispatchData['threads'],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

function withoutGuildId(channel: APIChannel): APIChannel {
  const { guild_id: _guildId, ...rest } = channel as APIChannel & { guild_id?: string };
  return rest as APIChannel;
}

/** READY: the bot user, every guild as unavailable (GUILD_CREATE follows for each), and the session to resume. */
export function readyPayload(input: { world: FakeWorld; guilds: readonly GuildState[]; applicationId: string; sessionId: string; resumeUrl: string; shard: [number, number] }): GatewayReadyDispatchData {
  return {
    v: 10,
    user: { ...userPayload(input.world.bot), verified: true, mfa_enabled: false, email: null },
    guilds: input.guilds.map((state) => ({ id: state.guild.id, unavailable: true })),
    session_id: input.sessionId,
    resume_gateway_url: input.resumeUrl,
    shard: input.shard,
    application: { id: input.applicationId, flags: 0 as ApplicationFlags, flags_new: '0' },
  };
}

/** `GET /applications/@me`. */
export function applicationPayload(applicationId: string, bot: FakeUser): APIApplication {
  return {
    id: applicationId,
    name: bot.username,
    icon: null,
    description: '',
    bot_public: true,
    bot_require_code_grant: false,
    bot: userPayload(bot),
    verify_key: '0'.repeat(64),
    flags: 0 as ApplicationFlags,
    flags_new: '0',
    team: null,
    owner: userPayload({ id: '1', username: 'owner' }),
    approximate_guild_count: 0,
    summary: '',
  };
}

/**
 * `GET /gateway/bot`: the gateway URL (without query), the recommended shard count, and plenty of identifies left.
 * `max_concurrency` 16 (Discord's for large bots), so discord.js identifies a client's shards without 5 s apart.
 */
export function gatewayBotPayload(url: string, shards: number): RESTGetAPIGatewayBotResult {
  return { url, shards, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 16 } };
}
