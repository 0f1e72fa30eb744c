import { ChannelType, type Message } from 'discord.js';
import { effectiveSettings } from '../knowledge/server-settings.ts';
import { answerQuestion, settledRequest } from './answer-question.ts';
import type { BotContext } from './context.ts';
import { withErrorBoundary } from './error-boundary.ts';
import { trimText } from './format/text.ts';
import { firstRefusal, type Guard, type GuardContext } from './guards/guard.ts';
import { rateLimit } from './guards/rate-limit.ts';
import { NO_MENTIONS } from './reply.ts';

/** The guards a conversation question passes: the same rate limit as `/ask`, with the same reply. */
export const CONVERSATION_GUARDS: readonly Guard[] = [rateLimit];

/**
 * Answers questions asked in conversation: a message that mentions the bot, or any message in a QA channel.
 * The answer is a reply, or goes in a thread when the channel is a forum post or ANSWER_IN_THREAD is set.
 * Messages outside a server or while the bot is stopping are not taken as questions (no reply at all).
 */
export function createMessageHandler(context: BotContext, botUserId: () => string | undefined, accepting: () => boolean) {
  const guardContext: GuardContext = { ...context, accepting };
  return async function onMessage(message: Message): Promise<void> {
    if (message.author.bot || !message.inGuild() || !accepting()) return;
    const me = botUserId();
    const mentioned = me !== undefined && message.mentions.users.has(me);
    const settings = effectiveSettings(context.config, context.settings.get(message.guildId));
    const parentId = message.channel.isThread() ? message.channel.parentId : null;
    const qaChannel = settings.qaChannelIds.includes(message.channelId) || (parentId !== null && settings.qaChannelIds.includes(parentId));
    if (!mentioned && !qaChannel) return;

    const question = message.content.replace(new RegExp(`<@!?${me}>`, 'g'), ' ').trim();
    const reply = (content: string) => message.reply({ content, allowedMentions: NO_MENTIONS });
    await withErrorBoundary(
      context.logger,
      `answering message ${message.id} in ${message.guildId}`,
      async () => {
        const refusal = firstRefusal(CONVERSATION_GUARDS, { userId: message.author.id, guildId: message.guildId, member: { memberPermissions: message.member?.permissions ?? null, member: message.member } }, guardContext);
        if (refusal !== undefined) {
          await reply(refusal);
          return;
        }
        // Shed like /ask: a busy reply (the error boundary) rather than a long silence; a long wait shows typing.
        if (context.questions.admit(message.guildId) === 'defer') void message.channel.sendTyping().catch(() => undefined);
        const asked = { userId: message.author.id, channelId: message.channelId, via: 'message' as const, link: message.url };
        const answer = await answerQuestion(context, { ...settledRequest(context, question, { server: message.guildId, channelId: message.channelId, parentId }), asked });
        // A forum post is already a thread: a reply lands in it.
        if (settings.answerInThread && message.channel.type === ChannelType.GuildText) {
          const thread = await message.startThread({ name: trimText(question || 'Question', 100) });
          await thread.send({ ...answer, allowedMentions: NO_MENTIONS });
        } else {
          await message.reply({ ...answer, allowedMentions: NO_MENTIONS });
        }
      },
      reply,
    );
  };
}
