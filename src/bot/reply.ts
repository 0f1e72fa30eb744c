import { MessageFlags, type ButtonInteraction, type ChatInputCommandInteraction, type InteractionReplyOptions, type MessageContextMenuCommandInteraction } from 'discord.js';
import type { QuestionQueue } from './question-queue.ts';
import { formatProgress, throttle } from './format/reindex-report.ts';
import { DISCORD_LIMITS, trimText } from './format/text.ts';

/** Replies never ping anyone, whatever a quoted document says. */
export const NO_MENTIONS = { parse: [] as [], repliedUser: false } as const;

/** `payload` with the no-mentions option: every reply, edit and message the bot sends goes through this. */
export function quiet<T extends object>(payload: T): T & { allowedMentions: typeof NO_MENTIONS } {
  return { ...payload, allowedMentions: NO_MENTIONS };
}

/** A text reply: trimmed to Discord's message limit, pinging no one. */
export function textReply(content: string) {
  return quiet({ content: trimText(content, DISCORD_LIMITS.content) });
}

/** Discord rate-limits message edits: progress is shown at most this often. */
const PROGRESS_EVERY_MS = 1500;

/** Shows index progress (reindex, add-document) by editing the deferred reply, throttled, always the latest. */
export function progressEditor(interaction: Repliable): (update: Parameters<typeof formatProgress>[0]) => void {
  const edit = throttle((text: string) => interaction.editReply(textReply(text)), PROGRESS_EVERY_MS);
  return (update) => edit(formatProgress(update));
}

/**
 * Discord drops an interaction not acknowledged within 3 s; past this much work time we defer first. The engine
 * runs in its own process, so this timer fires on time; the last second is for the deferral to reach Discord.
 */
const DEFER_AFTER_MS = 2000;

type Payload = Pick<InteractionReplyOptions, 'content' | 'embeds' | 'components'>;
/** The interactions the bot answers: slash commands, message commands, buttons. */
export type Repliable = ChatInputCommandInteraction | MessageContextMenuCommandInteraction | ButtonInteraction;

/**
 * Replies with the result of `work`, replying directly when it is ready quickly and deferring first when it is
 * not, so the interaction is always acknowledged within Discord's 3-second window. `busy` (other questions are
 * queued ahead) defers at once: a timer cannot be trusted to fire on time while the CPU answers others.
 */
export async function replySoon(interaction: Repliable, options: { ephemeral: boolean; busy?: boolean }, work: () => Promise<Payload>): Promise<void> {
  const flags = options.ephemeral ? MessageFlags.Ephemeral : undefined;
  if (options.busy) await interaction.deferReply({ flags });
  const pending = work();
  if (options.busy) {
    await interaction.editReply(quiet(await pending));
    return;
  }
  const slow = Symbol('slow');
  let timer: NodeJS.Timeout | undefined;
  const first = await Promise.race([
    pending,
    new Promise<typeof slow>((resolve) => (timer = setTimeout(() => resolve(slow), DEFER_AFTER_MS))),
  ]).finally(() => clearTimeout(timer));
  if (first !== slow) {
    await interaction.reply(quiet({ ...first, flags }));
    return;
  }
  await interaction.deferReply({ flags });
  await interaction.editReply(quiet(await pending));
}

/**
 * Admits a question from `server` to the question queue (a BUSY AppError refuses it at once) and replies with
 * `work`'s result through {@link replySoon}, deferring at once when the queue says its wait is long.
 */
export async function answerSoon(interaction: Repliable, questions: QuestionQueue, server: string | undefined, ephemeral: boolean, work: () => Promise<Payload>): Promise<void> {
  const admission = questions.admit(server ?? '');
  await replySoon(interaction, { ephemeral, busy: admission === 'defer' }, work);
}

/** Sends a short ephemeral notice, as a reply or as an edit when the interaction was already acknowledged. */
export async function notify(interaction: Repliable, content: string): Promise<void> {
  const payload = quiet({ content, embeds: [], components: [] });
  if (interaction.deferred || interaction.replied) await interaction.editReply(payload);
  else await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral });
}
