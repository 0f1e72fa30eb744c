import { InteractionResponseType as Callback } from 'discord.js';
import type { FakeUser, InteractionHandle, RecordedCallback, RecordedWebhookMessage } from '../types.ts';
import { Arrivals } from './arrivals.ts';
import type { FakeWorld } from './world.ts';

/** Which kind of interaction, which decides the callback types Discord accepts for it. */
export type InteractionKind = 'command' | 'component' | 'autocomplete';

/** @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object-interaction-callback-type */
const ALLOWED_CALLBACK_TYPES: Readonly<Record<InteractionKind, readonly number[]>> = {
  command: [Callback.ChannelMessageWithSource, Callback.DeferredChannelMessageWithSource, Callback.Modal, Callback.LaunchActivity],
  component: [Callback.ChannelMessageWithSource, Callback.DeferredChannelMessageWithSource, Callback.DeferredMessageUpdate, Callback.UpdateMessage, Callback.Modal],
  autocomplete: [Callback.ApplicationCommandAutocompleteResult],
};

/**
 * The fake's side of one dispatched interaction: whether and how it was acknowledged, which messages belong to it,
 * and what the bot sent, for the test's {@link InteractionHandle}.
 */
export class InteractionRecord {
  readonly edits = new Arrivals<RecordedWebhookMessage>('edit of the original response');
  readonly followUps = new Arrivals<RecordedWebhookMessage>('follow-up message');
  /** Ids of the messages this interaction's webhook may edit: the original response and the follow-ups. */
  readonly messageIds = new Set<string>();
  readonly callback: Promise<RecordedCallback>;
  dispatchedAt = 0;
  acknowledged = false;
  private resolveCallback!: (callback: RecordedCallback) => void;
  private callbackSeen = false;

  readonly id: string;
  readonly token: string;
  readonly kind: InteractionKind;
  readonly channelId: string;
  readonly guildId: string;
  readonly user: FakeUser;
  /** For a component, the message it is on. */
  readonly componentMessageId: string | undefined;
  /** The original response; for a component, the message it is on until the bot replies with a new message. */
  originalMessageId: string | undefined;

  constructor(
    init: Pick<InteractionRecord, 'id' | 'token' | 'kind' | 'channelId' | 'guildId' | 'user' | 'componentMessageId'>,
    private readonly world: FakeWorld,
  ) {
    this.id = init.id;
    this.token = init.token;
    this.kind = init.kind;
    this.channelId = init.channelId;
    this.guildId = init.guildId;
    this.user = init.user;
    this.componentMessageId = init.componentMessageId;
    this.callback = new Promise((resolve) => (this.resolveCallback = resolve));
    if (init.componentMessageId) this.setOriginal(init.componentMessageId);
  }

  accepts(callbackType: number): boolean {
    return ALLOWED_CALLBACK_TYPES[this.kind].includes(callbackType);
  }

  /** Records a callback attempt; the handle's promise settles with the first, accepted or not (see its status). */
  noteCallback(callback: RecordedCallback): void {
    if (callback.status < 300) this.acknowledged = true;
    if (this.callbackSeen) return;
    this.callbackSeen = true;
    this.resolveCallback(callback);
  }

  setOriginal(messageId: string): void {
    this.originalMessageId = messageId;
    this.messageIds.add(messageId);
  }

  close(reason: string): void {
    this.edits.close(reason);
    this.followUps.close(reason);
  }

  handle(): InteractionHandle {
    const record = this;
    return {
      id: record.id,
      token: record.token,
      dispatchedAt: record.dispatchedAt,
      callback: record.callback,
      get edits() {
        return record.edits.all;
      },
      get followUps() {
        return record.followUps.all;
      },
      nextEdit: (timeoutMs) => record.edits.take(undefined, timeoutMs),
      lastEdit: () => record.edits.last,
      nextFollowUp: (timeoutMs) => record.followUps.take(undefined, timeoutMs),
      finalMessage: () => (record.originalMessageId ? record.world.message(record.originalMessageId) : undefined),
    };
  }
}
