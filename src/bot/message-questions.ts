import { ChannelType, type Message } from 'discord.js';
import { describeError, isAppError } from '../errors.ts';
import { answerQuestion } from './answer-question.ts';
import type { BotContext } from './context.ts';
import { trimText } from './format/text.ts';
import { NO_MENTIONS } from './reply.ts';

/**
 * Answers questions asked in conversation: a message that mentions the bot, or any message in a QA channel.
 * The answer is a reply, or goes in a thread when the channel is a forum post or ANSWER_IN_THREAD is set.
 */
export function createMessageHandler(context: BotContext, botUserId: () => string | undefined, accepting: () => boolean) {
  return async function onMessage(message: Message): Promise<void> {
    if (message.author.bot || !message.inGuild() || !accepting()) return;
    const me = botUserId();
    const mentioned = me !== undefined && message.mentions.users.has(me);
    const qaChannel = context.config.qaChannelIds.includes(message.channelId) || context.config.qaChannelIds.includes(message.channel.isThread() ? message.channel.parentId ?? '' : '');
    if (!mentioned && !qaChannel) return;

    const question = message.content.replace(new RegExp(`<@!?${me}>`, 'g'), ' ').trim();
    try {
      const wait = context.rateLimiter.take(message.author.id);
      if (wait > 0) {
        await message.reply({ content: `You're asking quickly! Please wait ${wait} s before the next question.`, allowedMentions: NO_MENTIONS });
        return;
      }
      // Shed like /ask: a busy reply (the catch below) rather than a long silence; a long wait shows typing.
      if (context.questions.admit(message.guildId) === 'defer') void message.channel.sendTyping().catch(() => undefined);
      const reply = await answerQuestion(context, { question, server: message.guildId });
      // A forum post is already a thread: a reply lands in it.
      if (context.config.answerInThread && message.channel.type === ChannelType.GuildText) {
        const thread = await message.startThread({ name: trimText(question || 'Question', 100) });
        await thread.send({ ...reply, allowedMentions: NO_MENTIONS });
      } else {
        await message.reply({ ...reply, allowedMentions: NO_MENTIONS });
      }
    } catch (error) {
      if (!isAppError(error)) context.logger.error(`answering message ${message.id} in ${message.guildId} failed: ${describeError(error)}`);
      const text = isAppError(error) ? error.message : 'Something went wrong on our side; the error has been logged.';
      await message.reply({ content: text, allowedMentions: NO_MENTIONS }).catch(() => undefined);
    }
  };
}
