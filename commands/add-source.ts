import { InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../src/bot/command.ts';
import { formatReport } from '../src/bot/format/reindex-report.ts';
import { formatSourceSync } from '../src/bot/format/source-report.ts';
import { admin } from '../src/bot/guards/admin.ts';
import { guildOnly } from '../src/bot/guards/guild-only.ts';
import { progressEditor, textReply } from '../src/bot/reply.ts';
import type { SourceKind } from '../src/sources/source-record.ts';

/** `/add-source url:<url> [kind]` (admin): add a web page, a site or a git repository to this server's knowledge. */
export default {
  data: new SlashCommandBuilder()
    .setName('add-source')
    .setDescription("Admin: add a web page, site or git repository to this server's knowledge, kept in sync")
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addStringOption((option) => option.setName('url').setDescription('https://… a page, a site (ending in /), a sitemap or a repository').setRequired(true).setMaxLength(2000))
    .addStringOption((option) =>
      option
        .setName('kind')
        .setDescription('When the URL does not say')
        .addChoices({ name: 'one page', value: 'page' }, { name: 'a site (sitemap or links under the path)', value: 'site' }, { name: 'a git repository', value: 'git' }),
    ),
  guards: [guildOnly, admin],

  async execute(interaction, context) {
    const server = interaction.guildId!; // guildOnly
    const url = interaction.options.getString('url', true);
    const kind = (interaction.options.getString('kind') ?? undefined) as SourceKind | undefined;
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const { source, sync, report } = await context.knowledge.addSource(server, url, kind, progressEditor(interaction));
    await interaction.editReply(textReply(`Added source \`${source.id}\` (${source.kind}) to this server's knowledge.\n${formatSourceSync(sync)}\n${formatReport(report)}`));
  },
} satisfies Command;
