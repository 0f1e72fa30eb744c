import { InteractionType, MessageType, type APIAttachment, type APIEmbed, type APIMessage, type APIMessageInteractionMetadata, type MessageFlags } from 'discord.js';
import type { FakeUser } from '../types.ts';
import { userPayload } from './resources.ts';

/** What a message is made of, whoever sent it. */
export interface MessageInput {
  readonly id: string;
  readonly channelId: string;
  readonly guildId: string | undefined;
  readonly author: FakeUser;
  /** The author's roles and join date, for guild messages from members (MESSAGE_CREATE carries a partial member). */
  readonly member?: { readonly roles: readonly string[]; readonly joinedAt: string };
  /** The message fields as a bot sends them: content, embeds, components, flags, message_reference. */
  readonly body: Readonly<Record<string, any>>;
  readonly attachments?: readonly APIAttachment[];
  readonly mentions?: readonly FakeUser[];
  readonly referencedMessage?: APIMessage;
  /** Messages made by an interaction response are authored through the application's webhook. */
  readonly interaction?: { readonly applicationId: string; readonly metadata: APIMessageInteractionMetadata };
}

/**
 * A message object as Discord returns it from REST and sends it in MESSAGE_CREATE: embeds get `type: 'rich'`, a
 * reply is type 19 with the referenced message, a slash command's response is type 20 with `interaction_metadata`.
 *
 * @see https://discord.com/developers/docs/resources/message#message-object
 */
export function messagePayload(input: MessageInput): APIMessage {
  const { body } = input;
  const reference = body.message_reference as { message_id?: string; channel_id?: string; guild_id?: string } | undefined;
  return {
    id: input.id,
    channel_id: input.channelId,
    ...(input.guildId ? { guild_id: input.guildId } : {}),
    author: userPayload(input.author),
    ...(input.member && input.guildId ? { member: partialMember(input.member) } : {}),
    content: typeof body.content === 'string' ? body.content : '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: body.tts === true,
    mention_everyone: false,
    mentions: (input.mentions ?? []).map((user) => userPayload(user)),
    mention_roles: [],
    attachments: [...(input.attachments ?? [])],
    embeds: normalizeEmbeds(body.embeds),
    components: Array.isArray(body.components) ? body.components : [],
    pinned: false,
    type: messageType(input, reference !== undefined),
    flags: (typeof body.flags === 'number' ? body.flags : 0) as MessageFlags,
    ...(reference?.message_id
      ? {
          message_reference: {
            type: 0,
            message_id: reference.message_id,
            channel_id: reference.channel_id ?? input.channelId,
            ...(input.guildId ? { guild_id: input.guildId } : {}),
          },
          referenced_message: input.referencedMessage ?? null,
        }
      : {}),
    ...(input.interaction
      ? { webhook_id: input.interaction.applicationId, application_id: input.interaction.applicationId, interaction_metadata: input.interaction.metadata }
      : {}),
  };
}

/**
 * The message after a `PATCH`: only the fields the edit names change (Discord's semantics), `edited_timestamp` is
 * set, and a deferred response stops "thinking" (the Loading flag, 1 << 7, is cleared).
 */
export function editedMessage(message: APIMessage, edit: Readonly<Record<string, any>>, attachments?: readonly APIAttachment[]): APIMessage {
  const LOADING = 1 << 7;
  return {
    ...message,
    ...('content' in edit ? { content: typeof edit.content === 'string' ? edit.content : '' } : {}),
    ...('embeds' in edit ? { embeds: normalizeEmbeds(edit.embeds) } : {}),
    ...('components' in edit ? { components: Array.isArray(edit.components) ? edit.components : [] } : {}),
    ...(attachments ? { attachments: [...attachments] } : {}),
    flags: ((typeof edit.flags === 'number' ? edit.flags : (message.flags ?? 0)) & ~LOADING) as MessageFlags,
    edited_timestamp: new Date().toISOString(),
  };
}

/** A slash command's response is type 20; a reply, 19; anything else (a component's response too), 0. */
function messageType(input: MessageInput, isReply: boolean): MessageType {
  if (input.interaction?.metadata.type === InteractionType.ApplicationCommand) return MessageType.ChatInputCommand;
  return isReply ? MessageType.Reply : MessageType.Default;
}

function normalizeEmbeds(embeds: unknown): APIEmbed[] {
  return Array.isArray(embeds) ? embeds.map((embed: APIEmbed) => ({ type: 'rich', ...embed }) as APIEmbed) : [];
}

function partialMember(member: { readonly roles: readonly string[]; readonly joinedAt: string }) {
  const defaults = { premium_since: null, deaf: false, mute: false, pending: false, nick: null, avatar: null, communication_disabled_until: null, flags: 0 };
  return { ...defaults, roles: [...member.roles], joined_at: member.joinedAt };
}
