/** Builders of realistic Discord API payloads (v10), just complete enough for discord.js to build its objects. */

/** Discord's epoch (2015-01-01). */
const EPOCH = 1420070400000n;
let sequence = 0n;

/** A unique, time-ordered snowflake id, as Discord generates them. */
export function snowflake(): string {
  sequence = (sequence + 1n) & 0xfffn;
  return String(((BigInt(Date.now()) - EPOCH) << 22n) | sequence);
}

export interface FakeUser {
  readonly id: string;
  readonly username: string;
}

export interface FakeChannel {
  readonly id: string;
  /** 0 text, 11 public thread, 15 forum. */
  readonly type: number;
  readonly name: string;
  readonly parent_id?: string;
}

export interface FakeGuild {
  readonly id: string;
  readonly name: string;
  readonly owner_id: string;
  readonly roles: readonly { readonly id: string; readonly name: string; readonly permissions: string }[];
  readonly channels: readonly FakeChannel[];
}

export function userPayload(user: FakeUser, bot = false) {
  return { id: user.id, username: user.username, discriminator: '0', global_name: user.username, avatar: null, bot, public_flags: 0 };
}

export function memberPayload(user: FakeUser, roles: readonly string[] = [], permissions?: string) {
  return {
    user: userPayload(user),
    roles: [...roles],
    joined_at: new Date(0).toISOString(),
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    nick: null,
    avatar: null,
    premium_since: null,
    communication_disabled_until: null,
    ...(permissions === undefined ? {} : { permissions }),
  };
}

export function channelPayload(channel: FakeChannel, guildId: string) {
  return {
    id: channel.id,
    type: channel.type,
    name: channel.name,
    guild_id: guildId,
    position: 0,
    permission_overwrites: [],
    parent_id: channel.parent_id ?? null,
    nsfw: false,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
    ...(channel.type === 11
      ? { owner_id: '0', thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false }, member_count: 1, message_count: 0 }
      : {}),
  };
}

export function guildCreatePayload(guild: FakeGuild, bot: FakeUser) {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: guild.owner_id,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    premium_tier: 0,
    preferred_locale: 'en-US',
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    features: [],
    roles: guild.roles.map((role, position) => ({ id: role.id, name: role.name, permissions: role.permissions, position, color: 0, hoist: false, managed: false, mentionable: false, icon: null, unicode_emoji: null, flags: 0 })),
    emojis: [],
    stickers: [],
    channels: guild.channels.filter((channel) => channel.type !== 11).map((channel) => channelPayload(channel, guild.id)),
    threads: guild.channels.filter((channel) => channel.type === 11).map((channel) => channelPayload(channel, guild.id)),
    members: [memberPayload(bot, [])],
    member_count: 2,
    joined_at: new Date(0).toISOString(),
    large: false,
    unavailable: false,
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** A message object as REST returns it for something the bot sent. */
export function sentMessagePayload(channelId: string, body: Record<string, unknown>, author: FakeUser, guildId?: string) {
  return {
    id: snowflake(),
    channel_id: channelId,
    ...(guildId ? { guild_id: guildId } : {}),
    author: userPayload(author, true),
    content: typeof body.content === 'string' ? body.content : '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: Array.isArray(body.embeds) ? body.embeds : [],
    components: Array.isArray(body.components) ? body.components : [],
    pinned: false,
    type: body.message_reference ? 19 : 0,
    flags: typeof body.flags === 'number' ? body.flags : 0,
    ...(body.message_reference ? { message_reference: body.message_reference } : {}),
  };
}
