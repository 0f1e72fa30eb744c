import { InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/bot/command.ts';
import { formatReport } from '../src/bot/format/reindex-report.ts';
import { safeText } from '../src/bot/format/text.ts';
import { admin } from '../src/bot/guards/admin.ts';
import { guildOnly } from '../src/bot/guards/guild-only.ts';
import { progressEditor, textReply } from '../src/bot/reply.ts';
import { safeDocumentName } from '../src/engine/safe-file-name.ts';
import { createError } from '../src/errors.ts';

/** `/add-document file:<attachment>` (admin): store a document for this server and index it at once. */
export default {
  data: new SlashCommandBuilder()
    .setName('add-document')
    .setDescription('Admin: add a .txt, .md, .html, .pdf or .docx document to this server\'s knowledge')
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addAttachmentOption((option) => option.setName('file').setDescription('The document (.txt, .md, .html, .pdf, .docx)').setRequired(true)),
  guards: [guildOnly, admin],

  async execute(interaction, context) {
    const attachment = interaction.options.getAttachment('file', true);
    const server = interaction.guildId!; // guildOnly
    safeDocumentName(attachment.name); // refuse unsupported types before downloading anything
    const limit = context.config.maxUploadBytes;
    if (attachment.size > limit) {
      throw createError('FILE_TOO_LARGE', limit, { name: safeText(attachment.name), bytes: attachment.size });
    }
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const bytes = await context.download(attachment.url, limit);
    const { path, report } = await context.knowledge.addDocument(server, attachment.name, bytes, progressEditor(interaction));
    await interaction.editReply(textReply(`📄 Added \`${safeText(path)}\` to this server's documents.\n${formatReport(report)}`));
  },
} satisfies Command;
