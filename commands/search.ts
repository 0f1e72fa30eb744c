import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/bot/command.ts';
import { passageLocation } from '../src/passage-location.ts';
import { safeText, trimText } from '../src/bot/format/text.ts';
import { settledRequest } from '../src/bot/answer-question.ts';
import { rateLimit } from '../src/bot/guards/rate-limit.ts';
import { answerSoon, textReply } from '../src/bot/reply.ts';

const HITS = 8;

/** `/search query:<text>`: a compact list of matching passages, one line each. */
export default {
  data: new SlashCommandBuilder()
    .setName('search')
    .setDescription('List the passages that match, one line each')
    .setContexts(InteractionContextType.Guild)
    .addStringOption((option) => option.setName('query').setDescription('Words to look for').setRequired(true).setMaxLength(1000)),
  guards: [rateLimit],

  async execute(interaction, context) {
    const where = { server: interaction.guildId, channelId: interaction.channelId, parentId: interaction.channel?.isThread() ? interaction.channel.parentId : null };
    const { question: query, server, minScore, documents } = settledRequest(context, interaction.options.getString('query', true), where, HITS);
    await answerSoon(interaction, context.questions, server, true, async () => {
      const answer = await context.questions.run(server ?? '', () => context.knowledge.ask(query, { k: HITS, server, minScore, documents }));
      if (!answer.answered) return textReply(`No confident match for “${trimText(safeText(answer.question), 200)}”.`);
      const lines = answer.passages.map((passage) => {
        const words = trimText(passage.text.replace(/\s+/g, ' '), 90);
        return `• **${safeText(passageLocation(passage))}** — ${safeText(words)}`;
      });
      return textReply([`Matches for “${safeText(trimText(answer.question, 150))}”:`, ...lines].join('\n'));
    });
  },
} satisfies Command;
