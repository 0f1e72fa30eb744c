import { InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/bot/command.ts';
import { formatProgress, formatReport, throttle } from '../src/bot/format/reindex-report.ts';
import { NO_MENTIONS } from '../src/bot/reply.ts';
import { DISCORD_LIMITS, trimText } from '../src/bot/format/text.ts';

/** `/reindex` (admin): bring the index up to date with the documents, showing progress. */
export default {
  data: new SlashCommandBuilder()
    .setName('reindex')
    .setDescription('Admin: re-read the documents and update the index')
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild),
  admin: true,

  async execute(interaction, context) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const progress = throttle((text: string) => interaction.editReply({ content: text, allowedMentions: NO_MENTIONS }), 1500);
    const report = await context.knowledge.reindex((update) => progress(formatProgress(update)));
    await interaction.editReply({ content: trimText(formatReport(report), DISCORD_LIMITS.content), allowedMentions: NO_MENTIONS });
  },
} satisfies Command;
