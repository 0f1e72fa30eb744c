import { InteractionContextType, MessageFlags, SlashCommandBuilder, time, TimestampStyles } from 'discord.js';
import type { Command } from '../src/bot/command.ts';
import { quiet } from '../src/bot/reply.ts';
import { DISCORD_LIMITS, safeText, trimText } from '../src/bot/format/text.ts';
import { formatSourceLine } from '../src/bot/format/source-report.ts';

/** `/sources`: the documents this server's questions are answered from, and the sources kept in sync. */
export default {
  data: new SlashCommandBuilder()
    .setName('sources')
    .setDescription('List the documents the bot answers from')
    .setContexts(InteractionContextType.Guild),

  async execute(interaction, context) {
    const server = interaction.guildId ?? undefined;
    const [allDocuments, stats, sources] = await Promise.all([context.knowledge.listDocuments(server), context.knowledge.stats(), context.knowledge.listSources(server)]);
    // A synced source's pages are summed up in its line of the sources embed, not listed one by one.
    const documents = allDocuments.filter((document) => !document.path.startsWith('sources/'));
    const lines = documents.map((document) => {
      const owner = document.scope ? ' (this server)' : '';
      return `• **${safeText(document.title)}**${owner} — \`${safeText(document.path)}\`, ${document.paragraphs} paragraphs, indexed ${time(new Date(document.indexedAt), TimestampStyles.RelativeTime)}`;
    });
    const model = stats.model ? `${stats.model} (${stats.dimension} dimensions)` : 'none: keyword search only';
    await interaction.reply(quiet({
      embeds: [
        {
          title: `Sources: ${documents.length} document${documents.length === 1 ? '' : 's'}`,
          description: trimText(lines.join('\n') || 'No documents yet. An admin can add one with /add-document.', DISCORD_LIMITS.embedDescription),
          footer: { text: `Embedding model: ${model} · mode: ${stats.mode}` },
        },
        ...(sources.length === 0
          ? []
          : [{ title: `Synced sources: ${sources.length}`, description: trimText(sources.map((source) => formatSourceLine(source, server)).join('\n'), DISCORD_LIMITS.embedDescription) }]),
      ],
      flags: MessageFlags.Ephemeral,
    }));
  },
} satisfies Command;
