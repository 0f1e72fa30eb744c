import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ComponentType,
  InteractionContextType,
  InteractionType,
  type APIApplicationCommandAutocompleteGuildInteraction,
  type APIApplicationCommandInteractionDataOption,
  type APIAttachment,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIInteractionDataResolved,
  type APIInteractionDataResolvedChannel,
  type APIMessage,
  type APIMessageApplicationCommandGuildInteraction,
  type APIMessageComponentButtonInteraction,
  type Locale,
} from 'discord.js';
import type { FakeWorld } from '../state/world.ts';
import type { FakeCommandOption, FakeInteractionTarget } from '../types.ts';
import { channelPayload, memberPayload, rolePayload, userPayload } from './resources.ts';

/** Discord's default upload limit for a guild without boosts: 10 MiB. */
const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

/** What every interaction the fake dispatches is built from. */
export interface InteractionInput {
  readonly world: FakeWorld;
  readonly applicationId: string;
  readonly id: string;
  readonly token: string;
  readonly target: FakeInteractionTarget;
  /** Looks up a file on the fake CDN, to resolve attachment options. */
  readonly attachment: (attachmentId: string) => APIAttachment | undefined;
}

/** A registered command, to give the interaction the command id (and guild id) Discord would. */
export interface CommandReference {
  readonly id: string;
  readonly guildId?: string;
}

/** A slash command (INTERACTION_CREATE type 2, command type 1) with its options and their resolved objects. */
export function commandInteraction(
  input: InteractionInput,
  name: string,
  options: readonly FakeCommandOption[],
  command: CommandReference,
): APIChatInputApplicationCommandGuildInteraction {
  const base = baseInteraction(input);
  const resolved = resolveOptions(input, options, base.member.permissions);
  return {
    ...base,
    type: InteractionType.ApplicationCommand,
    data: {
      id: command.id,
      name,
      type: ApplicationCommandType.ChatInput,
      options: options as APIApplicationCommandInteractionDataOption[],
      ...(command.guildId ? { guild_id: command.guildId } : {}),
      ...(resolved ? { resolved } : {}),
    },
  };
}

/**
 * A message context-menu command (INTERACTION_CREATE type 2, command type 3) on `message`: `target_id` is its id and
 * `resolved.messages` holds it whole. Its content is there even for a bot without the Message Content intent, as
 * Discord sends it.
 *
 * @see https://discord.com/developers/docs/interactions/application-commands#message-commands
 */
export function messageCommandInteraction(input: InteractionInput, name: string, message: APIMessage, command: CommandReference): APIMessageApplicationCommandGuildInteraction {
  return {
    ...baseInteraction(input),
    type: InteractionType.ApplicationCommand,
    data: {
      id: command.id,
      name,
      type: ApplicationCommandType.Message,
      target_id: message.id,
      resolved: { messages: { [message.id]: message } },
      ...(command.guildId ? { guild_id: command.guildId } : {}),
    },
  };
}

/** Autocomplete (INTERACTION_CREATE type 4): the options typed so far, one of them `focused`. */
export function autocompleteInteraction(
  input: InteractionInput,
  name: string,
  options: readonly FakeCommandOption[],
  command: CommandReference,
): APIApplicationCommandAutocompleteGuildInteraction {
  return {
    ...baseInteraction(input),
    type: InteractionType.ApplicationCommandAutocomplete,
    data: {
      id: command.id,
      name,
      type: ApplicationCommandType.ChatInput,
      options: options as APIApplicationCommandAutocompleteGuildInteraction['data']['options'],
      ...(command.guildId ? { guild_id: command.guildId } : {}),
    },
  };
}

/** A button click (INTERACTION_CREATE type 3, component type 2) on `message`. */
export function buttonInteraction(input: InteractionInput, customId: string, message: APIMessage): APIMessageComponentButtonInteraction {
  return {
    ...baseInteraction(input),
    type: InteractionType.MessageComponent,
    data: { custom_id: customId, component_type: ComponentType.Button },
    message,
  };
}

/** The fields every guild interaction has; the member's roles are those the world knows for the user. */
function baseInteraction(input: InteractionInput) {
  const { world, target } = input;
  const { guild, channel } = world.locate(target.guildId, target.channelId);
  const roles = world.memberRoles(target.guildId, target.user.id) ?? [];
  const permissions = target.memberPermissions ?? String(world.permissions(target.guildId, target.user.id, roles));
  const locale = (target.locale ?? 'en-US') as Locale;
  return {
    id: input.id,
    application_id: input.applicationId,
    token: input.token,
    version: 1 as const,
    guild_id: target.guildId,
    guild: { id: target.guildId, locale: 'en-US' as Locale, features: [] },
    channel_id: target.channelId,
    channel: { ...channelPayload(channel), permissions },
    member: { ...memberPayload(target.user, roles, guild.joinedAt), permissions },
    app_permissions: String(world.botPermissions(target.guildId)),
    locale,
    guild_locale: 'en-US' as Locale,
    entitlements: [],
    authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: target.guildId },
    context: InteractionContextType.Guild,
    attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
  };
}

/** Discord resolves the users, channels, roles and attachments that options refer to; discord.js reads them there. */
function resolveOptions(input: InteractionInput, options: readonly FakeCommandOption[], memberPermissions: string): APIInteractionDataResolved | undefined {
  const { world, target } = input;
  const { guild } = world.locate(target.guildId, target.channelId);
  const resolved: Required<APIInteractionDataResolved> = { users: {}, members: {}, roles: {}, channels: {}, attachments: {} };
  const visit = (option: FakeCommandOption): void => {
    option.options?.forEach(visit);
    const id = String(option.value);
    const user = world.user(id);
    const role = guild.guild.roles.find((candidate) => candidate.id === id);
    const channel = world.channel(id);
    const attachment = input.attachment(id);
    const isUserish = option.type === ApplicationCommandOptionType.User || option.type === ApplicationCommandOptionType.Mentionable;
    if (isUserish && user) {
      const roles = world.memberRoles(target.guildId, id);
      resolved.users[id] = userPayload(user);
      // Resolved members come without their user, which is in `users`.
      const { user: _user, ...member } = memberPayload(user, roles ?? [], guild.joinedAt);
      if (roles) resolved.members[id] = { ...member, permissions: String(world.permissions(target.guildId, id, roles)) };
    }
    if ((option.type === ApplicationCommandOptionType.Role || option.type === ApplicationCommandOptionType.Mentionable) && role) {
      resolved.roles[id] = rolePayload(role, guild.guild.roles.indexOf(role), guild, world.bot.id);
    }
    if (option.type === ApplicationCommandOptionType.Channel && channel) {
      // Without channel overwrites, the member's permissions are the same in every channel.
      resolved.channels[id] = { ...channelPayload(channel), permissions: memberPermissions } as APIInteractionDataResolvedChannel;
    }
    if (option.type === ApplicationCommandOptionType.Attachment && attachment) resolved.attachments[id] = attachment;
  };
  options.forEach(visit);
  const present = Object.entries(resolved).filter(([, entries]) => Object.keys(entries).length > 0);
  return present.length > 0 ? (Object.fromEntries(present) as APIInteractionDataResolved) : undefined;
}
