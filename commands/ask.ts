import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { answerQuestion, loggedPassages, settledRequest } from '../src/bot/answer-question.ts';
import { effectiveSettings } from '../src/knowledge/server-settings.ts';
import type { Command } from '../src/bot/command.ts';
import { rateLimit } from '../src/bot/guards/rate-limit.ts';
import { answerSoon, notify } from '../src/bot/reply.ts';

/** `/ask question:<text> [count] [public]`: the passages that answer a question, quoted with their source. */
export default {
  data: new SlashCommandBuilder()
    .setName('ask')
    .setDescription('Ask a question; get the passages of the documents that answer it')
    .setContexts(InteractionContextType.Guild)
    .addStringOption((option) => option.setName('question').setDescription('Your question').setRequired(true).setMaxLength(1000))
    .addIntegerOption((option) => option.setName('count').setDescription('How many passages (1-5)').setMinValue(1).setMaxValue(5))
    .addBooleanOption((option) => option.setName('public').setDescription('Show the answer to everyone in the channel (default: the server setting)')),
  guards: [rateLimit],
  // "More" runs a search: it counts against the same limit; votes do not.
  buttonGuards: [
    { prefix: 'ask:more:', guards: [rateLimit] },
    { prefix: 'ask:vote:', guards: [] },
  ],

  async execute(interaction, context) {
    const where = { server: interaction.guildId, channelId: interaction.channelId, parentId: interaction.channel?.isThread() ? interaction.channel.parentId : null };
    const request = {
      ...settledRequest(context, interaction.options.getString('question', true), where, interaction.options.getInteger('count') ?? undefined),
      asked: { userId: interaction.user.id, channelId: interaction.channelId ?? undefined, via: 'command' as const, link: undefined },
    };
    const publicByDefault = interaction.guildId ? effectiveSettings(context.config, context.settings.get(interaction.guildId)).publicAnswers : false;
    const ephemeral = !(interaction.options.getBoolean('public') ?? publicByDefault);
    await answerSoon(interaction, context.questions, request.server, ephemeral, () => answerQuestion(context, request));
  },

  /** `ask:more:<key>:<offset>` shows the next passages; `ask:vote:<up|down>:<key>` records feedback. */
  async button(interaction, context) {
    const [, action, ...rest] = interaction.customId.split(':');
    const key = action === 'more' ? rest[0]! : rest[1]!;
    const session = context.answers.get(key);
    if (!session) {
      await notify(interaction, 'This answer has expired; please ask again.');
      return;
    }
    if (action === 'more') {
      const offset = Number(rest[1]);
      await answerSoon(interaction, context.questions, session.server, true, () => answerQuestion(context, session, offset));
      return;
    }
    const recorded = context.knowledgeLog.recordFeedback({
      server: session.server ?? '',
      questionId: session.questionId,
      userId: interaction.user.id,
      vote: rest[0] === 'up' ? 'up' : 'down',
      question: session.question,
      confidence: session.confidence,
      passages: loggedPassages(session.shown),
    });
    await notify(interaction, recorded ? 'Thanks, your feedback was recorded.' : 'Thanks. Feedback cannot be recorded right now (the bot\'s store is unavailable); the answer itself is unaffected.');
  },
} satisfies Command;
