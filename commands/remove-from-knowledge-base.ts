import { ApplicationCommandType, ContextMenuCommandBuilder, InteractionContextType, MessageFlags, PermissionFlagsBits } from 'discord.js';
import type { MessageCommand } from '../src/bot/command.ts';
import { capturedNamesOf } from '../src/bot/capture/read-messages.ts';
import { formatReport } from '../src/bot/format/reindex-report.ts';
import { safeText } from '../src/bot/format/text.ts';
import { admin } from '../src/bot/guards/admin.ts';
import { guildOnly } from '../src/bot/guards/guild-only.ts';
import { textReply } from '../src/bot/reply.ts';
import { createError } from '../src/errors.ts';

/**
 * Message command (admin) "Remove from knowledge base": undoes "Add to knowledge base" on the same message: removes
 * the message's own capture and, on a thread's starter or a reply inside it, the thread's capture.
 */
export default {
  data: new ContextMenuCommandBuilder()
    .setName('Remove from knowledge base')
    .setType(ApplicationCommandType.Message)
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild),
  guards: [guildOnly, admin],

  async execute(interaction, context) {
    const server = interaction.guildId!; // guildOnly
    const names = capturedNamesOf(interaction.targetMessage);
    const own = await context.knowledge.listDocuments(server);
    const captured = names.filter((name) => own.some((document) => document.scope === server && document.path === name));
    if (captured.length === 0) throw createError('NOT_CAPTURED');
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const lines: string[] = [];
    for (const name of captured) {
      const report = await context.knowledge.removeDocument(server, name);
      lines.push(`🗑️ Removed \`${safeText(name)}\` from this server's knowledge base.`, formatReport(report));
    }
    await interaction.editReply(textReply(lines.join('\n')));
  },
} satisfies MessageCommand;
