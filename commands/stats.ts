import { AttachmentBuilder } from 'discord.js';
import type { Command } from '../src/bot/command.ts';
import { buildStatsEmbed, STATS_CHART_NAME } from '../src/bot/format/stats-message.ts';
import { admin } from '../src/bot/guards/admin.ts';
import { guildOnly } from '../src/bot/guards/guild-only.ts';
import { beginReport, DEFAULT_REPORT_DAYS, reportCommandData } from '../src/bot/knowledge-commands.ts';
import { quiet } from '../src/bot/reply.ts';
import { renderStatsChart } from '../src/knowledge/stats-chart.ts';

/** `/stats [days]` (admin): how the bot did for this server, with a chart and the threshold its votes support. */
export default {
  data: reportCommandData('stats', 'Admin: questions, share answered, votes, answer time and the documents cited most'),
  guards: [guildOnly, admin],

  async execute(interaction, context) {
    const log = await beginReport(interaction, context);
    const server = interaction.guildId!;
    const stats = log.stats(server, interaction.options.getInteger('days') ?? DEFAULT_REPORT_DAYS);
    const chart = new AttachmentBuilder(renderStatsChart(stats), { name: STATS_CHART_NAME });
    await interaction.editReply(quiet({ embeds: [buildStatsEmbed(stats, log.suggestThreshold(server))], files: [chart] }));
  },
} satisfies Command;
