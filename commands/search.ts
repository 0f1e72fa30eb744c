import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/bot/command.ts';
import { passageLocation } from '../src/bot/format/answer-message.ts';
import { DISCORD_LIMITS, safeText, trimText } from '../src/bot/format/text.ts';
import { replySoon } from '../src/bot/reply.ts';

const HITS = 8;

/** `/search query:<text>`: a compact list of matching passages, one line each. */
export default {
  data: new SlashCommandBuilder()
    .setName('search')
    .setDescription('List the passages that match, one line each')
    .setContexts(InteractionContextType.Guild)
    .addStringOption((option) => option.setName('query').setDescription('Words to look for').setRequired(true).setMaxLength(1000)),
  rateLimited: true,

  async execute(interaction, context) {
    const query = interaction.options.getString('query', true);
    const server = interaction.guildId ?? undefined;
    const admission = context.questions.admit(server ?? '');
    await replySoon(interaction, { ephemeral: true, busy: admission === 'defer' }, async () => {
      const answer = await context.questions.run(server ?? '', () => context.knowledge.ask(query, { k: HITS, server }));
      if (!answer.answered) return { content: `No confident match for “${trimText(safeText(answer.question), 200)}”.` };
      const lines = answer.passages.map((passage) => {
        const words = trimText(passage.text.replace(/\s+/g, ' '), 90);
        return `• **${safeText(passageLocation(passage))}** — ${safeText(words)}`;
      });
      return { content: trimText([`Matches for “${safeText(trimText(answer.question, 150))}”:`, ...lines].join('\n'), DISCORD_LIMITS.content) };
    });
  },
} satisfies Command;
