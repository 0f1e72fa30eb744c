import { InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/bot/command.ts';
import { formatReport } from '../src/bot/format/reindex-report.ts';
import { formatSourceSync } from '../src/bot/format/source-report.ts';
import { admin } from '../src/bot/guards/admin.ts';
import { guildOnly } from '../src/bot/guards/guild-only.ts';
import { progressEditor, textReply } from '../src/bot/reply.ts';
import { trimText } from '../src/bot/format/text.ts';

/** `/sync` (admin): re-sync this server's sources now and index what changed, showing progress. */
export default {
  data: new SlashCommandBuilder()
    .setName('sync')
    .setDescription("Admin: re-sync this server's sources now")
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild),
  guards: [guildOnly, admin],

  async execute(interaction, context) {
    const server = interaction.guildId!; // guildOnly
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const { sources, report } = await context.knowledge.syncSources({ server }, progressEditor(interaction));
    const lines = sources.length === 0 ? ['This server has no sources yet. Add one with /add-source.'] : sources.map(formatSourceSync);
    await interaction.editReply(textReply(trimText(`${lines.join('\n')}\n${formatReport(report)}`, 2000)));
  },
} satisfies Command;
