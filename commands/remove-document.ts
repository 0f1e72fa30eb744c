import { InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/bot/command.ts';
import { formatReport } from '../src/bot/format/reindex-report.ts';
import { DISCORD_LIMITS, safeText, trimText } from '../src/bot/format/text.ts';
import { printableLine } from '../src/printable-text.ts';
import { NO_MENTIONS } from '../src/bot/reply.ts';
import { createError } from '../src/errors.ts';

/** `/remove-document name:<autocomplete>` (admin): delete one of this server's documents. */
export default {
  data: new SlashCommandBuilder()
    .setName('remove-document')
    .setDescription('Admin: remove a document this server added')
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addStringOption((option) => option.setName('name').setDescription('The document').setRequired(true).setAutocomplete(true)),
  admin: true,

  async execute(interaction, context) {
    const server = interaction.guildId;
    if (!server) throw createError('NOT_ALLOWED', 'removed');
    const name = interaction.options.getString('name', true);
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const report = await context.knowledge.removeDocument(server, name);
    await interaction.editReply({ content: trimText(`🗑️ Removed \`${safeText(name)}\`.\n${formatReport(report)}`, DISCORD_LIMITS.content), allowedMentions: NO_MENTIONS });
  },

  /** Suggests only this server's own documents: shared ones cannot be removed from Discord. */
  async autocomplete(interaction, context) {
    const typed = interaction.options.getFocused().toLowerCase();
    const own = (await context.knowledge.listDocuments(interaction.guildId ?? undefined)).filter((document) => document.scope === interaction.guildId);
    const choices = own
      .filter((document) => document.path.toLowerCase().includes(typed) || document.title.toLowerCase().includes(typed))
      .slice(0, 25)
      .map((document) => ({ name: trimText(printableLine(`${document.title} (${document.path})`), 100), value: document.path }));
    await interaction.respond(choices);
  },
} satisfies Command;
