import { InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/bot/command.ts';
import { formatReport } from '../src/bot/format/reindex-report.ts';
import { safeText, trimText } from '../src/bot/format/text.ts';
import { admin } from '../src/bot/guards/admin.ts';
import { guildOnly } from '../src/bot/guards/guild-only.ts';
import { textReply } from '../src/bot/reply.ts';
import { printableLine } from '../src/printable-text.ts';

/** `/remove-document name:<autocomplete>` (admin): delete one of this server's documents. */
export default {
  data: new SlashCommandBuilder()
    .setName('remove-document')
    .setDescription('Admin: remove a document this server added')
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addStringOption((option) => option.setName('name').setDescription('The document').setRequired(true).setAutocomplete(true)),
  guards: [guildOnly, admin],

  async execute(interaction, context) {
    const server = interaction.guildId!; // guildOnly
    const name = interaction.options.getString('name', true);
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const report = await context.knowledge.removeDocument(server, name);
    await interaction.editReply(textReply(`🗑️ Removed \`${safeText(name)}\`.\n${formatReport(report)}`));
  },

  /** Suggests only this server's own documents: shared ones cannot be removed from Discord. */
  async autocomplete(interaction, context) {
    const typed = interaction.options.getFocused().toLowerCase();
    const own = (await context.knowledge.listDocuments(interaction.guildId ?? undefined)).filter((document) => document.scope === interaction.guildId && !document.path.startsWith('sources/'));
    const choices = own
      .filter((document) => document.path.toLowerCase().includes(typed) || document.title.toLowerCase().includes(typed))
      .slice(0, 25)
      .map((document) => ({ name: trimText(printableLine(`${document.title} (${document.path})`), 100), value: document.path }));
    await interaction.respond(choices);
  },
} satisfies Command;
