import type { Command } from '../src/bot/command.ts';
import { buildUnansweredMessage, parseResolveButtonId } from '../src/bot/format/unanswered-message.ts';
import { safeText, trimText } from '../src/bot/format/text.ts';
import { admin } from '../src/bot/guards/admin.ts';
import { guildOnly } from '../src/bot/guards/guild-only.ts';
import { beginReport, DEFAULT_REPORT_DAYS, reportCommandData } from '../src/bot/knowledge-commands.ts';
import { notify, quiet } from '../src/bot/reply.ts';
import { createError, errorMessage } from '../src/errors.ts';

/** `/unanswered [days]` (admin): what members asked that the documents did not answer, grouped, most frequent first. */
export default {
  data: reportCommandData('unanswered', 'Admin: questions the documents did not answer (no confident match or 👎), grouped'),
  // The "resolved" buttons are guarded the same: admins only.
  guards: [guildOnly, admin],

  async execute(interaction, context) {
    const log = await beginReport(interaction, context);
    const report = await log.unanswered(interaction.guildId!, interaction.options.getInteger('days') ?? DEFAULT_REPORT_DAYS);
    await interaction.editReply(quiet(buildUnansweredMessage(report)));
  },

  /** `unanswered:resolve:<days>:<ref>`: marks the group holding that question resolved, as it stands now. */
  async button(interaction, context) {
    const target = parseResolveButtonId(interaction.customId);
    if (!target) throw createError('UNANSWERED_GROUP_GONE');
    const log = await beginReport(interaction, context);
    const server = interaction.guildId!;
    const report = await log.unanswered(server, target.days);
    const group = report.groups.find((candidate) => candidate.members.some((member) => member.kind === target.ref.kind && member.id === target.ref.id));
    if (!group) {
      await notify(interaction, errorMessage('UNANSWERED_GROUP_GONE'));
      return;
    }
    const marked = log.resolve(server, group.members);
    await notify(interaction, `Marked resolved: “${safeText(trimText(group.text, 150))}” (${marked} question${marked === 1 ? '' : 's'}). It is hidden from /unanswered until it is asked again.`);
  },
} satisfies Command;
