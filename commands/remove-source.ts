import { InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/bot/command.ts';
import { formatReport } from '../src/bot/format/reindex-report.ts';
import { safeText, trimText } from '../src/bot/format/text.ts';
import { admin } from '../src/bot/guards/admin.ts';
import { guildOnly } from '../src/bot/guards/guild-only.ts';
import { textReply } from '../src/bot/reply.ts';
import { printableLine } from '../src/printable-text.ts';

/** `/remove-source source:<autocomplete>` (admin): delete one of this server's sources and its pages. */
export default {
  data: new SlashCommandBuilder()
    .setName('remove-source')
    .setDescription('Admin: remove a source this server added, and its pages')
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addStringOption((option) => option.setName('source').setDescription('The source').setRequired(true).setAutocomplete(true)),
  guards: [guildOnly, admin],

  async execute(interaction, context) {
    const server = interaction.guildId!; // guildOnly
    const id = interaction.options.getString('source', true);
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const report = await context.knowledge.removeSource(id, server);
    await interaction.editReply(textReply(`🗑️ Removed source \`${safeText(id)}\` and its pages.\n${formatReport(report)}`));
  },

  /** Suggests only this server's own sources: shared ones are removed from the command line. */
  async autocomplete(interaction, context) {
    const typed = interaction.options.getFocused().toLowerCase();
    const own = (await context.knowledge.listSources(interaction.guildId ?? undefined)).filter((source) => source.server === interaction.guildId);
    const choices = own
      .filter((source) => source.id.includes(typed) || source.url.toLowerCase().includes(typed))
      .slice(0, 25)
      .map((source) => ({ name: trimText(printableLine(`${source.id} (${source.url})`), 100), value: source.id }));
    await interaction.respond(choices);
  },
} satisfies Command;
