import { ChannelType, type AnyThreadChannel, type Message } from 'discord.js';
import { createError } from '../../errors.ts';
import { capturedDocument, capturedDocumentName, type CapturedMessage } from './captured-document.ts';

/** A thread longer than this is captured up to its first this-many messages. */
export const MAX_THREAD_MESSAGES = 500;

/** A document ready for `addDocument`, and what it holds. */
export interface Capture {
  readonly kind: 'message' | 'thread';
  readonly fileName: string;
  readonly bytes: Uint8Array;
  readonly title: string;
  readonly messages: readonly CapturedMessage[];
  /** Messages of a thread left out: the bot's own answers, and messages without readable text. */
  readonly leftOut: { readonly ownAnswers: number; readonly withoutText: number };
}

/** The thread a message opens or belongs to, located without fetching anything. */
export interface ThreadPlace {
  readonly threadId: string;
  /** The channel its starter message is in: the parent for a thread on a message, the thread itself in a forum. */
  readonly starterChannelId: string;
  /** Whether the message is the thread's starter (its question). */
  readonly isStarter: boolean;
}

/** Where the message stands in a thread, if it does: inside one, or the starter of one opened on it. */
export function threadPlace(message: Message): ThreadPlace | undefined {
  const channel = message.channel;
  if (channel.isThread()) return { threadId: channel.id, starterChannelId: starterChannelOf(channel), isStarter: message.id === channel.id };
  return message.hasThread ? { threadId: message.id, starterChannelId: message.channelId, isStarter: true } : undefined;
}

/** The names a capture of this message may have been stored under: the message alone, and its thread's. */
export function capturedNamesOf(message: Message): string[] {
  const place = threadPlace(message);
  return [
    capturedDocumentName({ kind: 'message', channelId: message.channelId, messageId: message.id }),
    ...(place ? [capturedDocumentName({ kind: 'thread', channelId: place.starterChannelId, messageId: place.threadId })] : []),
  ];
}

/**
 * One message as a document. Refuses the bot's own answers (they quote documents already indexed) and messages
 * without text.
 */
export function captureMessage(message: Message, botUserId: string): Capture {
  if (message.author.id === botUserId) throw createError('CAPTURE_OWN_ANSWER');
  const captured = toCaptured(message);
  if (captured.text === '') throw createError('CAPTURE_NO_TEXT');
  const where = message.channel.isThread() ? `thread “${message.channel.name}”` : `#${'name' in message.channel ? message.channel.name : message.channelId}`;
  const title = `Message in ${where}`;
  const fileName = capturedDocumentName({ kind: 'message', channelId: message.channelId, messageId: message.id });
  return { kind: 'message', fileName, title, messages: [captured], bytes: encode(capturedDocument(title, [captured])), leftOut: { ownAnswers: 0, withoutText: 0 } };
}

/**
 * A whole thread as one document: its starter (the question) and its replies in order, up to
 * {@link MAX_THREAD_MESSAGES}, without system messages and the bot's own answers. Reading replies needs the Message
 * Content intent; without it Discord sends them empty, and they are counted as without text.
 */
export async function captureThread(thread: AnyThreadChannel, botUserId: string): Promise<Capture> {
  // Forced: a cached copy may come from the gateway, emptied for want of the Message Content intent.
  const starter = await thread.fetchStarterMessage({ force: true }).catch(() => null);
  const replies: Message[] = [];
  let before: string | undefined;
  while (replies.length < MAX_THREAD_MESSAGES) {
    const page = await thread.messages.fetch({ limit: 100, cache: false, ...(before ? { before } : {}) });
    replies.push(...page.values());
    if (page.size < 100) break;
    before = page.lastKey();
  }
  const byId = new Map([...(starter ? [starter] : []), ...replies].map((message) => [message.id, message]));
  const ordered = [...byId.values()].filter((message) => !message.system).sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1)).slice(0, MAX_THREAD_MESSAGES);
  const leftOut = { ownAnswers: 0, withoutText: 0 };
  const messages: CapturedMessage[] = [];
  for (const message of ordered) {
    const captured = toCaptured(message);
    if (message.author.id === botUserId) leftOut.ownAnswers++;
    else if (captured.text === '') leftOut.withoutText++;
    else messages.push(captured);
  }
  if (messages.length === 0) throw createError('CAPTURE_NO_TEXT');
  const title = `Thread: ${thread.name}`;
  const fileName = capturedDocumentName({ kind: 'thread', channelId: starterChannelOf(thread), messageId: thread.id });
  return { kind: 'thread', fileName, title, messages, bytes: encode(capturedDocument(title, messages)), leftOut };
}

/** A forum post's starter is in the post (the thread) itself; a thread opened on a message has it in the parent. */
function starterChannelOf(thread: AnyThreadChannel): string {
  const parentType = thread.parent?.type;
  return parentType === ChannelType.GuildForum || parentType === ChannelType.GuildMedia ? thread.id : (thread.parentId ?? thread.id);
}

/**
 * The message's author (server nickname, else display name), date and text, with mentions written as the names
 * they show in Discord (`@Alice`, `@Moderators`, `#general`), custom emoji as `:name:` and timestamps as dates,
 * so that the stored text reads as members saw it and holds no mention syntax.
 */
function toCaptured(message: Message): CapturedMessage {
  const text = message.content
    .replace(/<@!?(\d+)>/g, (_, id: string) => `@${message.mentions.members?.get(id)?.displayName ?? message.mentions.users.get(id)?.displayName ?? 'someone'}`)
    .replace(/<@&(\d+)>/g, (_, id: string) => `@${message.guild?.roles.cache.get(id)?.name ?? 'a role'}`)
    .replace(/<#(\d+)>/g, (_, id: string) => `#${message.guild?.channels.cache.get(id)?.name ?? 'a channel'}`)
    .replace(/<\/([-_\p{L}\p{N} ]+):\d+>/gu, '/$1')
    .replace(/<a?:(\w+):\d+>/g, ':$1:')
    .replace(/<t:(-?\d+)(?::[tTdDfFR])?>/g, (_, seconds: string) => new Date(Number(seconds) * 1000).toISOString().slice(0, 16).replace('T', ' ') + ' UTC')
    .trim();
  return { authorName: message.member?.displayName ?? message.author.displayName, createdAt: message.createdAt, text };
}

function encode(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
