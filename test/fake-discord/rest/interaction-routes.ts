/**
 * Interaction callbacks and the interaction webhook (edits of the original response, follow-ups). discord.js calls
 * them without the bot token: the interaction token in the path authenticates them.
 *
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding
 */
import { InteractionResponseType, InteractionType, MessageFlags, type APIMessage, type APIMessageInteractionMetadata } from 'discord.js';
import type { FakeBackend } from '../backend.ts';
import { editedMessage } from '../payloads/messages.ts';
import { userPayload } from '../payloads/resources.ts';
import type { InteractionKind, InteractionRecord } from '../state/interaction-record.ts';
import { autocompleteErrors, invalidFormBody, isEmptyMessage, messageErrors } from './message-limits.ts';
import { apiError, route, type RestRequest, type RestResponse, type Route } from './router.ts';

const LOADING = 1 << 7;
const INTERACTION_TYPES: Readonly<Record<InteractionKind, InteractionType>> = {
  command: InteractionType.ApplicationCommand,
  component: InteractionType.MessageComponent,
  autocomplete: InteractionType.ApplicationCommandAutocomplete,
};

export function interactionRoutes(backend: FakeBackend): Route[] {
  // The webhook is the application's; the token in the path says which interaction it answers.
  const webhook = (request: RestRequest) => (request.params.applicationId === backend.applicationId ? backend.interactions.get(request.params.token!) : undefined);
  const onMessage = (use: (message: APIMessage, record: InteractionRecord, request: RestRequest) => RestResponse) => (request: RestRequest) =>
    withWebhookMessage(backend, webhook(request), request, (message, record) => use(message, record, request));
  return [
    route('POST', '/interactions/:interactionId/:token/callback', (request) => callback(backend, request), 'none'),
    route('GET', '/webhooks/:applicationId/:token/messages/:messageId', onMessage((message) => ({ status: 200, body: message })), 'none'),
    route('PATCH', '/webhooks/:applicationId/:token/messages/:messageId', onMessage((message, record, request) => editResponse(backend, record, message, request)), 'none'),
    route('DELETE', '/webhooks/:applicationId/:token/messages/:messageId', onMessage((message) => (backend.world.deleteMessage(message.id), { status: 204 })), 'none'),
    route('POST', '/webhooks/:applicationId/:token', (request) => followUp(backend, webhook(request), request), 'none'),
  ];
}

function callback(backend: FakeBackend, request: RestRequest): RestResponse {
  const record = backend.interactions.get(request.params.token!);
  if (!record || record.id !== request.params.interactionId) return apiError('unknownInteraction');
  const type = Number(request.body?.type);
  const data = request.body?.data ?? {};
  const answer = callbackAnswer(backend, record, request, type, data);
  record.noteCallback({ type, data, files: request.files, receivedAt: request.receivedAt, status: answer.status });
  return answer;
}

function callbackAnswer(backend: FakeBackend, record: InteractionRecord, request: RestRequest, type: number, data: any): RestResponse {
  if (request.receivedAt - record.dispatchedAt > backend.options.callbackDeadlineMs) return apiError('unknownInteraction');
  if (record.acknowledged) return apiError('alreadyAcknowledged');
  if (!record.accepts(type)) {
    return invalidFormBody([{ path: 'type', code: 'INTERACTION_CALLBACK_TYPE_INVALID', message: `Callback type ${type} is not valid for this interaction` }]);
  }
  if (type === InteractionResponseType.ApplicationCommandAutocompleteResult) {
    const errors = autocompleteErrors(data);
    if (errors.length > 0) return invalidFormBody(errors);
  }
  const isMessage = type === InteractionResponseType.ChannelMessageWithSource || type === InteractionResponseType.UpdateMessage;
  if (isMessage) {
    const errors = messageErrors(data, 'data.');
    if (errors.length > 0) return invalidFormBody(errors);
    if (type === InteractionResponseType.ChannelMessageWithSource && isEmptyMessage(data, request.files.length)) return apiError('emptyMessage');
  }
  const message = respond(backend, record, request, type, data);
  if (request.query.get('with_response') !== 'true') return { status: 204 };
  return { status: 200, body: callbackResponse(record, type, isMessage ? message : undefined, message) };
}

/**
 * The body of `?with_response=true`: the interaction and what the callback created; the message itself only for
 * types 4 and 7, as Discord.
 *
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-callback-interaction-callback-response-object
 */
function callbackResponse(record: InteractionRecord, type: number, shownMessage: APIMessage | undefined, original: APIMessage | undefined) {
  const flags = original?.flags ?? 0;
  const about = original && {
    response_message_id: original.id,
    response_message_loading: (flags & LOADING) !== 0,
    response_message_ephemeral: (flags & MessageFlags.Ephemeral) !== 0,
  };
  const interaction = { id: record.id, type: INTERACTION_TYPES[record.kind], ...about };
  return { interaction, resource: { type, ...(shownMessage ? { message: shownMessage } : {}) } };
}

/** Applies an accepted callback: creates or updates the original message. Returns it, if the type makes one. */
function respond(backend: FakeBackend, record: InteractionRecord, request: RestRequest, type: number, data: any): APIMessage | undefined {
  if (type === InteractionResponseType.ChannelMessageWithSource || type === InteractionResponseType.DeferredChannelMessageWithSource) {
    const deferred = type === InteractionResponseType.DeferredChannelMessageWithSource;
    const body = deferred ? { flags: (Number(data.flags ?? 0) & MessageFlags.Ephemeral) | LOADING } : data;
    const message = interactionMessage(backend, record, body, request);
    record.setOriginal(message.id);
    publishUnlessEphemeral(backend, message);
    return message;
  }
  const original = record.originalMessageId ? backend.world.message(record.originalMessageId) : undefined;
  if (type !== InteractionResponseType.UpdateMessage || !original) return original;
  const attachments = request.files.length > 0 ? backend.upload(request.files, record.channelId) : undefined;
  return backend.world.storeMessage(editedMessage(original, data, attachments));
}

function editResponse(backend: FakeBackend, record: InteractionRecord, message: APIMessage, request: RestRequest): RestResponse {
  const errors = messageErrors(request.body);
  if (errors.length > 0) return invalidFormBody(errors);
  const attachments = request.files.length > 0 ? backend.upload(request.files, message.channel_id) : undefined;
  const edited = backend.world.storeMessage(editedMessage(message, request.body ?? {}, attachments));
  if (edited.id === record.originalMessageId) {
    record.edits.push({ data: request.body ?? {}, files: request.files, receivedAt: request.receivedAt, messageId: edited.id });
  }
  return { status: 200, body: edited };
}

function followUp(backend: FakeBackend, record: InteractionRecord | undefined, request: RestRequest): RestResponse {
  // Discord only knows the webhook once the interaction is acknowledged.
  if (!record?.acknowledged) return apiError('unknownWebhook');
  const errors = messageErrors(request.body);
  if (errors.length > 0) return invalidFormBody(errors);
  if (isEmptyMessage(request.body, request.files.length)) return apiError('emptyMessage');
  const message = interactionMessage(backend, record, request.body, request);
  record.messageIds.add(message.id);
  publishUnlessEphemeral(backend, message);
  record.followUps.push({ data: request.body, files: request.files, receivedAt: request.receivedAt, messageId: message.id });
  return request.query.get('wait') === 'true' ? { status: 200, body: message } : { status: 204 };
}

/** Resolves `@original` or a message id to one of this interaction's messages; 404 as Discord otherwise. */
function withWebhookMessage(
  backend: FakeBackend,
  record: InteractionRecord | undefined,
  request: RestRequest,
  use: (message: APIMessage, record: InteractionRecord) => RestResponse,
): RestResponse {
  if (!record) return apiError('unknownWebhook');
  const messageId = request.params.messageId === '@original' ? record.originalMessageId : request.params.messageId;
  const message = messageId && record.messageIds.has(messageId) ? backend.world.message(messageId) : undefined;
  return message ? use(message, record) : apiError('unknownMessage');
}

/** Ephemeral messages are only shown to the member; the others are also sent to the gateway as MESSAGE_CREATE. */
function publishUnlessEphemeral(backend: FakeBackend, message: APIMessage): void {
  if (((message.flags ?? 0) & MessageFlags.Ephemeral) === 0) backend.publishMessage(message);
  else backend.world.storeMessage(message);
}

/** A message sent through the interaction (a response or a follow-up), with files uploaded as attachments. */
function interactionMessage(backend: FakeBackend, record: InteractionRecord, body: any, request: RestRequest): APIMessage {
  const interaction = { applicationId: backend.applicationId, metadata: metadata(record) };
  return backend.botMessage({ id: backend.ids.next(), channelId: record.channelId, guildId: record.guildId, body, files: request.files, interaction });
}

function metadata(record: InteractionRecord): APIMessageInteractionMetadata {
  const base = { id: record.id, user: userPayload(record.user), authorizing_integration_owners: { 0: record.guildId } };
  return record.kind === 'component'
    ? { ...base, type: InteractionType.MessageComponent, interacted_message_id: record.componentMessageId ?? '0' }
    : { ...base, type: InteractionType.ApplicationCommand };
}
