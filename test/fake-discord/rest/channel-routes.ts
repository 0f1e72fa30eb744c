/**
 * Channel routes: messages (send, fetch, edit, delete, react), typing, and threads (from a message, or a forum
 * post). The bot's permissions are checked as Discord would, from its roles (the fake has no channel overwrites).
 *
 * @see https://discord.com/developers/docs/resources/message#create-message
 * @see https://discord.com/developers/docs/resources/channel#start-thread-from-message
 */
import { ChannelType, PermissionFlagsBits, type APIMessage } from 'discord.js';
import type { FakeBackend } from '../backend.ts';
import { messageForApp } from '../gateway/intents.ts';
import { editedMessage } from '../payloads/messages.ts';
import { channelPayload, isThread } from '../payloads/resources.ts';
import type { ChannelState } from '../state/world.ts';
import { invalidFormBody, isEmptyMessage, messageErrors, type FormError } from './message-limits.ts';
import { apiError, route, type RestRequest, type RestResponse, type Route } from './router.ts';

const NOT_TEXT: ReadonlySet<number> = new Set([ChannelType.GuildCategory, ChannelType.GuildForum, ChannelType.GuildMedia]);

export function channelRoutes(backend: FakeBackend): Route[] {
  const inChannel = (handler: (channel: ChannelState, request: RestRequest) => RestResponse) => (request: RestRequest) => {
    const channel = backend.world.channel(request.params.channelId!);
    return channel ? handler(channel, request) : apiError('unknownChannel');
  };
  const withMessage = (handler: (message: APIMessage, channel: ChannelState, request: RestRequest) => RestResponse) =>
    inChannel((channel, request) => {
      const message = backend.world.message(request.params.messageId!);
      return message?.channel_id === channel.channel.id ? handler(message, channel, request) : apiError('unknownMessage');
    });
  return [
    route('GET', '/channels/:channelId', inChannel((channel) => ({ status: 200, body: channelPayload(channel) }))),
    route('POST', '/channels/:channelId/messages', inChannel((channel, request) => createMessage(backend, channel, request))),
    route('GET', '/channels/:channelId/messages', inChannel((channel, request) => listMessages(backend, channel, request.query))),
    route('GET', '/channels/:channelId/messages/:messageId', withMessage((message) => ({ status: 200, body: readable(backend, message) }))),
    route('PATCH', '/channels/:channelId/messages/:messageId', withMessage((message, _, request) => editMessage(backend, message, request))),
    route('DELETE', '/channels/:channelId/messages/:messageId', withMessage((message, channel) => deleteMessage(backend, message, channel))),
    route('PUT', '/channels/:channelId/messages/:messageId/reactions/:emoji/@me', withMessage(() => ({ status: 204 }))),
    route('POST', '/channels/:channelId/typing', inChannel(() => ({ status: 204 }))),
    route('POST', '/channels/:channelId/messages/:messageId/threads', withMessage((message, channel, request) => startThreadFromMessage(backend, message, channel, request))),
    route('POST', '/channels/:channelId/threads', inChannel((channel, request) => startThread(backend, channel, request))),
  ];
}

/** A message as the app may read it over REST (content only with the Message Content intent, or its exceptions). */
function readable(backend: FakeBackend, message: APIMessage): APIMessage {
  return messageForApp(message, backend.options.privilegedIntentsEnabled, backend.world.bot.id);
}

/**
 * `GET /channels/{id}/messages`: newest first, ephemeral responses left out, `limit` 1–100 (default 50), at most one of `before`, `after`,
 * `around`; needs Read Message History.
 *
 * @see https://discord.com/developers/docs/resources/message#get-channel-messages
 */
function listMessages(backend: FakeBackend, channel: ChannelState, query: URLSearchParams): RestResponse {
  const denied = checkPermission(backend, channel, PermissionFlagsBits.ReadMessageHistory);
  if (denied) return denied;
  const limit = Number(query.get('limit') ?? 50);
  const anchors = ['before', 'after', 'around'].filter((name) => query.has(name));
  const errors: FormError[] = [];
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) errors.push({ path: 'limit', code: 'NUMBER_TYPE_MAX', message: 'int value should be between 1 and 100.' });
  if (anchors.length > 1) errors.push({ path: anchors[1]!, code: 'BASE_TYPE_INVALID', message: 'Only one of before, after and around may be given.' });
  if (errors.length > 0) return invalidFormBody(errors);
  const EPHEMERAL = 1 << 6; // seen only by the member an interaction answered: never in the channel's history
  const all = backend.world.messagesIn(channel.channel.id).filter((message) => ((message.flags ?? 0) & EPHEMERAL) === 0);
  const at = (name: string) => BigInt(query.get(name)!);
  let chosen: APIMessage[];
  if (query.has('after')) chosen = all.filter((message) => BigInt(message.id) > at('after')).slice(0, limit);
  else if (query.has('around')) {
    const middle = all.findIndex((message) => BigInt(message.id) >= at('around'));
    const start = Math.max(0, (middle < 0 ? all.length : middle) - Math.floor(limit / 2));
    chosen = all.slice(start, start + limit);
  } else chosen = all.filter((message) => !query.has('before') || BigInt(message.id) < at('before')).slice(-limit);
  return { status: 200, body: chosen.reverse().map((message) => readable(backend, message)) };
}

/** 403 unless the bot can see the channel and has `needed` there. */
function checkPermission(backend: FakeBackend, channel: ChannelState, needed: bigint): RestResponse | undefined {
  const granted = backend.world.botPermissions(channel.guildId);
  if ((granted & PermissionFlagsBits.ViewChannel) === 0n) return apiError('missingAccess');
  return (granted & needed) === needed ? undefined : apiError('missingPermissions');
}

function createMessage(backend: FakeBackend, channel: ChannelState, request: RestRequest): RestResponse {
  if (NOT_TEXT.has(channel.channel.type)) return apiError('nonTextChannel');
  const denied = checkPermission(backend, channel, isThread(channel.channel.type) ? PermissionFlagsBits.SendMessagesInThreads : PermissionFlagsBits.SendMessages);
  if (denied) return denied;
  const body = request.body ?? {};
  const errors = messageErrors(body);
  if (errors.length > 0) return invalidFormBody(errors);
  if (isEmptyMessage(body, request.files.length)) return apiError('emptyMessage');
  const reference = body.message_reference;
  const referencedMessage = reference?.message_id ? backend.world.message(String(reference.message_id)) : undefined;
  if (reference?.message_id && !referencedMessage && reference.fail_if_not_exists !== false) {
    return invalidFormBody([{ path: 'message_reference', code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', message: 'Unknown message' }]);
  }
  const message = backend.botMessage({ id: backend.ids.next(), channelId: channel.channel.id, guildId: channel.guildId, body, files: request.files, referencedMessage });
  backend.publishMessage(message);
  backend.channelMessages.push({ id: message.id, channelId: channel.channel.id, guildId: channel.guildId, body, files: request.files, receivedAt: request.receivedAt });
  return { status: 200, body: message };
}

function editMessage(backend: FakeBackend, message: APIMessage, request: RestRequest): RestResponse {
  if (message.author.id !== backend.world.bot.id) return apiError('cannotEditOthersMessage');
  const errors = messageErrors(request.body);
  if (errors.length > 0) return invalidFormBody(errors);
  const attachments = request.files.length > 0 ? backend.upload(request.files, message.channel_id) : undefined;
  return { status: 200, body: backend.world.storeMessage(editedMessage(message, request.body ?? {}, attachments)) };
}

function deleteMessage(backend: FakeBackend, message: APIMessage, channel: ChannelState): RestResponse {
  const denied = message.author.id === backend.world.bot.id ? undefined : checkPermission(backend, channel, PermissionFlagsBits.ManageMessages);
  if (denied) return denied;
  backend.world.deleteMessage(message.id);
  return { status: 204 };
}

/** A thread name is required, 1 to 100 characters. */
function nameErrors(name: unknown): FormError[] {
  const valid = typeof name === 'string' && name.length >= 1 && name.length <= 100;
  return valid ? [] : [{ path: 'name', code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' }];
}

/** A thread started from a message has the message's id, and the message then points to it. */
function startThreadFromMessage(backend: FakeBackend, message: APIMessage, channel: ChannelState, request: RestRequest): RestResponse {
  const parentType = channel.channel.type;
  if (parentType !== ChannelType.GuildText && parentType !== ChannelType.GuildAnnouncement) return apiError('invalidChannelType');
  if (backend.world.channel(message.id)) return apiError('threadAlreadyCreated');
  const errors = nameErrors(request.body?.name);
  if (errors.length > 0) return invalidFormBody(errors);
  const denied = checkPermission(backend, channel, PermissionFlagsBits.CreatePublicThreads);
  if (denied) return denied;
  const thread = backend.openThreadOnMessage(message, channel, request.body.name, backend.world.bot.id);
  return { status: 201, body: channelPayload(thread) };
}

/** In a forum, a post: a thread whose first message (with the thread's id) comes in `message`. Elsewhere, a thread. */
function startThread(backend: FakeBackend, channel: ChannelState, request: RestRequest): RestResponse {
  const isForum = channel.channel.type === ChannelType.GuildForum || channel.channel.type === ChannelType.GuildMedia;
  if (!isForum && channel.channel.type !== ChannelType.GuildText && channel.channel.type !== ChannelType.GuildAnnouncement) return apiError('invalidChannelType');
  const body = request.body ?? {};
  const first = body.message;
  const errors = [...nameErrors(body.name), ...(isForum ? messageErrors(first ?? {}, 'message.') : [])];
  if (isForum && !first) errors.push({ path: 'message', code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
  if (errors.length > 0) return invalidFormBody(errors);
  if (isForum && isEmptyMessage(first, request.files.length)) return apiError('emptyMessage');
  const threadPermission = body.type === ChannelType.PublicThread ? PermissionFlagsBits.CreatePublicThreads : PermissionFlagsBits.CreatePrivateThreads;
  const needed = isForum ? PermissionFlagsBits.SendMessages : threadPermission;
  const denied = checkPermission(backend, channel, needed);
  if (denied) return denied;
  const type = isForum ? ChannelType.PublicThread : Number(body.type ?? ChannelType.PrivateThread);
  const thread = backend.world.addChannel({ id: backend.ids.next(), type, name: body.name, parent_id: channel.channel.id, owner_id: backend.world.bot.id }, channel.guildId);
  backend.publishThread(thread, true);
  if (!isForum) return { status: 201, body: channelPayload(thread) };
  const message = backend.botMessage({ id: thread.channel.id, channelId: thread.channel.id, guildId: channel.guildId, body: first, files: request.files });
  backend.publishMessage(message);
  backend.channelMessages.push({ id: message.id, channelId: thread.channel.id, guildId: channel.guildId, body: first, files: request.files, receivedAt: request.receivedAt });
  return { status: 201, body: { ...channelPayload(thread), message } };
}
