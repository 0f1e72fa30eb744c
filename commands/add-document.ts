import { InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/bot/command.ts';
import { formatProgress, formatReport, throttle } from '../src/bot/format/reindex-report.ts';
import { DISCORD_LIMITS, safeText, trimText } from '../src/bot/format/text.ts';
import { NO_MENTIONS } from '../src/bot/reply.ts';
import { safeDocumentName } from '../src/engine/safe-file-name.ts';
import { createError } from '../src/errors.ts';

/** `/add-document file:<attachment>` (admin): store a document for this server and index it at once. */
export default {
  data: new SlashCommandBuilder()
    .setName('add-document')
    .setDescription('Admin: add a .txt, .md or .html document to this server\'s knowledge')
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addAttachmentOption((option) => option.setName('file').setDescription('The document (.txt, .md, .html)').setRequired(true)),
  admin: true,

  async execute(interaction, context) {
    const attachment = interaction.options.getAttachment('file', true);
    const server = interaction.guildId;
    if (!server) throw createError('NOT_ALLOWED', 'added');
    safeDocumentName(attachment.name); // refuse unsupported types before downloading anything
    const limit = context.config.maxUploadBytes;
    if (attachment.size > limit) {
      throw createError('FILE_TOO_LARGE', limit, { name: safeText(attachment.name), bytes: attachment.size });
    }
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const bytes = await context.download(attachment.url, limit);
    const progress = throttle((text: string) => interaction.editReply({ content: text, allowedMentions: NO_MENTIONS }), 1500);
    const { path, report } = await context.knowledge.addDocument(server, attachment.name, bytes, (update) => progress(formatProgress(update)));
    const content = `📄 Added \`${safeText(path)}\` to this server's documents.\n${formatReport(report)}`;
    await interaction.editReply({ content: trimText(content, DISCORD_LIMITS.content), allowedMentions: NO_MENTIONS });
  },
} satisfies Command;
