/**
 * The fake Discord's public types: what tests describe (users, guilds, channels) and what they observe (requests,
 * messages, interaction responses). Field names of the `Fake*` shapes follow Discord's API objects.
 */

/** A Discord user. */
export interface FakeUser {
  readonly id: string;
  readonly username: string;
  readonly global_name?: string;
  /** True for bot accounts; the fake's own bot user always has it. */
  readonly bot?: boolean;
}

/** A guild role; `permissions` is a bitfield as a decimal string, like `'3072'`. */
export interface FakeRole {
  readonly id: string;
  readonly name: string;
  readonly permissions: string;
}

/**
 * A guild channel. Types as in Discord: 0 text, 2 voice, 4 category, 5 announcement, 11 public thread, 12 private
 * thread, 15 forum. A thread needs `parent_id`.
 *
 * @see https://discord.com/developers/docs/resources/channel#channel-object-channel-types
 */
export interface FakeChannel {
  readonly id: string;
  readonly type: number;
  readonly name: string;
  readonly parent_id?: string;
  readonly topic?: string;
  /** Threads only: who opened it (defaults to the guild owner). */
  readonly owner_id?: string;
}

/**
 * A guild the bot is in. The `@everyone` role has the guild's id; it is added (with View Channel, Send Messages
 * and Read Message History) when `roles` lacks it. The bot gets its own managed role too (see `addGuild`).
 */
export interface FakeGuild {
  readonly id: string;
  readonly name: string;
  readonly owner_id: string;
  readonly roles: readonly FakeRole[];
  readonly channels: readonly FakeChannel[];
}

/** A file the fake CDN serves, as an attachment object (what Discord puts in messages and resolved options). */
export interface FakeAttachment {
  readonly id: string;
  readonly filename: string;
  readonly size: number;
  readonly url: string;
  readonly proxy_url: string;
  readonly content_type: string;
}

/**
 * How a download from the fake CDN fails: `true` answers HTTP 500, a number answers that HTTP status, `'reset'`
 * destroys the connection before any byte of the response.
 */
export type AttachmentFailure = boolean | number | 'reset';

/** A file part of a multipart request (discord.js sends one per attached file, as `files[n]`). */
export interface RecordedFile {
  /** The form field, e.g. `files[0]`. */
  readonly field: string;
  readonly filename: string;
  readonly contentType: string;
  readonly data: Buffer;
}

/** One HTTP request the bot made: REST calls (path without `/api/v10`) and CDN downloads (path `/attachments/…`). */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** The JSON body; for multipart requests, the parsed `payload_json` part. `undefined` when there is none. */
  readonly body: any;
  readonly files: readonly RecordedFile[];
  /** `performance.now()` when the request arrived. */
  readonly receivedAt: number;
  /** The route it matched, like `POST /channels/:channelId/messages`; `undefined` for a route the fake lacks. */
  readonly route: string | undefined;
  /** The HTTP status the fake answered with (set once answered). */
  status?: number;
}

/** A message the bot posted with the bot token: in a channel, a thread, or as the first message of a forum post. */
export interface RecordedMessage {
  /** The id the fake gave the message. */
  readonly id: string;
  /** Where it was posted: a channel, or a thread's id. */
  readonly channelId: string;
  readonly guildId: string | undefined;
  /** The request body (content, embeds, components, allowed_mentions, message_reference, flags…). */
  readonly body: any;
  readonly files: readonly RecordedFile[];
  readonly receivedAt: number;
}

/** The bot's answer to `POST /interactions/{id}/{token}/callback`. */
export interface RecordedCallback {
  /** The callback type: 4 reply, 5 deferred reply, 6 deferred update, 7 update, 8 autocomplete result, 9 modal. */
  readonly type: number;
  /** The callback's `data` (`{}` when absent). */
  readonly data: any;
  readonly files: readonly RecordedFile[];
  readonly receivedAt: number;
  /** The HTTP status the fake answered: 204 (or 200 `?with_response=true`), or an error status Discord would give. */
  readonly status: number;
}

/** An edit of the original response, or a follow-up message, sent over the interaction webhook. */
export interface RecordedWebhookMessage {
  readonly data: any;
  readonly files: readonly RecordedFile[];
  readonly receivedAt: number;
  /** The id of the message it created or edited. */
  readonly messageId: string;
}

/** An option of a command or autocomplete interaction, as Discord sends it (subcommands nest `options`). */
export interface FakeCommandOption {
  readonly name: string;
  /** 1 subcommand, 2 group, 3 string, 4 integer, 5 boolean, 6 user, 7 channel, 8 role, 10 number, 11 attachment. */
  readonly type: number;
  readonly value?: unknown;
  readonly focused?: boolean;
  readonly options?: readonly FakeCommandOption[];
}

/** Who triggers an interaction, and where. */
export interface FakeInteractionTarget {
  readonly guildId: string;
  readonly channelId: string;
  readonly user: FakeUser;
  /** The member's permissions in the channel; by default computed from the guild's roles like Discord does. */
  readonly memberPermissions?: string;
  /** Role ids of the member (besides `@everyone`); by default the ones last given for that user in that guild. */
  readonly memberRoles?: readonly string[];
  readonly locale?: string;
}

/** A slash command to dispatch; `commandId` defaults to the registered command's id (or a new one). */
export interface FakeCommandInput extends FakeInteractionTarget {
  readonly name: string;
  readonly options?: readonly FakeCommandOption[];
  readonly commandId?: string;
}

/** A message context-menu command to dispatch on a message of `channelId`; `commandId` as for slash commands. */
export interface FakeMessageCommandInput extends FakeInteractionTarget {
  /** The command's name as registered, e.g. `Add to knowledge base`. */
  readonly name: string;
  readonly targetMessageId: string;
  readonly commandId?: string;
}

/** A thread a member opens on a message (see `FakeDiscord.startThread`). */
export interface FakeThreadInput {
  readonly guildId: string;
  readonly messageId: string;
  readonly name: string;
  /** Who opens it; default the message's author. */
  readonly ownerId?: string;
}

/** An autocomplete request to dispatch: the options typed so far, exactly one of them `focused: true`. */
export interface FakeAutocompleteInput extends FakeInteractionTarget {
  readonly name: string;
  readonly options: readonly FakeCommandOption[];
  readonly commandId?: string;
}

/** A button click to dispatch; see `FakeDiscord.sendButton` for which message it is on. */
export interface FakeButtonInput extends FakeInteractionTarget {
  readonly customId: string;
  readonly messageId?: string;
}

/** A member's message to dispatch as MESSAGE_CREATE. */
export interface FakeMessageInput {
  readonly guildId: string;
  readonly channelId: string;
  readonly author: FakeUser;
  readonly content: string;
  /** Users mentioned (besides the `<@id>` of known users found in `content`). */
  readonly mentions?: readonly FakeUser[];
  /** Files from `addAttachment`. */
  readonly attachments?: readonly FakeAttachment[];
  /** The author's role ids; by default the ones last given for that user in that guild. */
  readonly memberRoles?: readonly string[];
}

/** What the bot sent in answer to one interaction the fake dispatched. */
export interface InteractionHandle {
  readonly id: string;
  readonly token: string;
  /** `performance.now()` when the INTERACTION_CREATE dispatch was written to the socket. */
  readonly dispatchedAt: number;
  /** Resolves with the first interaction callback (it is not rejected, even by `stop()`). */
  readonly callback: Promise<RecordedCallback>;
  /** Every edit of the original response so far (`PATCH /webhooks/{app}/{token}/messages/@original`), in order. */
  readonly edits: readonly RecordedWebhookMessage[];
  /** Every follow-up so far (`POST /webhooks/{app}/{token}`), in order. */
  readonly followUps: readonly RecordedWebhookMessage[];
  /** The next edit not yet returned by `nextEdit`, waiting for it if needed; edits are never skipped. */
  nextEdit(timeoutMs?: number): Promise<RecordedWebhookMessage>;
  /** The most recent edit, if any. */
  lastEdit(): RecordedWebhookMessage | undefined;
  /** The next follow-up not yet returned by `nextFollowUp`, waiting for it if needed. */
  nextFollowUp(timeoutMs?: number): Promise<RecordedWebhookMessage>;
  /**
   * The original response as it stands now (the callback's message with every edit applied), as a Discord message
   * object; `undefined` before the callback. For a button, it is the message the button is on, unless the bot
   * answered with a new message (callback type 4).
   */
  finalMessage(): any | undefined;
}
