import { InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/bot/command.ts';
import { formatReport } from '../src/bot/format/reindex-report.ts';
import { admin } from '../src/bot/guards/admin.ts';
import { progressEditor, textReply } from '../src/bot/reply.ts';

/** `/reindex` (admin): bring the index up to date with the documents, showing progress. */
export default {
  data: new SlashCommandBuilder()
    .setName('reindex')
    .setDescription('Admin: re-read the documents and update the index')
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild),
  guards: [admin],

  async execute(interaction, context) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const report = await context.knowledge.reindex(progressEditor(interaction));
    await interaction.editReply(textReply(formatReport(report)));
  },
} satisfies Command;
