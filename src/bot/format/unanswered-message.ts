import { ButtonStyle, ComponentType, time, TimestampStyles, type APIActionRowComponent, type APIButtonComponent, type APIEmbed } from 'discord.js';
import type { LoggedRef } from '../../knowledge/group-questions.ts';
import type { UnansweredReport } from '../../knowledge/knowledge-log.ts';
import { DISCORD_LIMITS, safeText, trimText } from './text.ts';

/** Groups listed by `/unanswered`, each with a "Resolved" button: two rows of five. */
export const UNANSWERED_SHOWN = 10;

/** `unanswered:resolve:<days>:<q|f><id>`: the group that holds that question, in that period. */
export function resolveButtonId(days: number, ref: LoggedRef): string {
  return `unanswered:resolve:${days}:${ref.kind === 'question' ? 'q' : 'f'}${ref.id}`;
}

export function parseResolveButtonId(customId: string): { days: number; ref: LoggedRef } | undefined {
  const match = /^unanswered:resolve:(\d+):([qf])(\d+)$/.exec(customId);
  if (!match) return undefined;
  return { days: Number(match[1]), ref: { kind: match[2] === 'q' ? 'question' : 'feedback', id: Number(match[3]) } };
}

/** The most frequent groups, with counts, the last time asked and a jump link, and a button to resolve each. */
export function buildUnansweredMessage(report: UnansweredReport): { embeds: APIEmbed[]; components: APIActionRowComponent<APIButtonComponent>[] } {
  const shown = report.groups.slice(0, UNANSWERED_SHOWN);
  const lines = shown.map((group, index) => {
    const why = [group.noMatch > 0 ? `${group.noMatch} no match` : '', group.down > 0 ? `${group.down} 👎` : ''].filter(Boolean).join(', ');
    const link = group.link ? ` · [example](${group.link})` : '';
    return `**${index + 1}.** “${safeText(trimText(group.text, 150))}”\n${group.count}× (${why}), last ${time(Math.floor(group.lastAt / 1000), TimestampStyles.RelativeTime)}${link}`;
  });
  const total = report.groups.reduce((sum, group) => sum + group.count, 0);
  const notes = [
    report.method === 'embedding' ? 'Grouped by meaning (embedding model).' : 'Grouped by shared keywords (no embedding model loaded).',
    report.groups.length > shown.length ? `${report.groups.length - shown.length} smaller groups not shown.` : '',
    report.withoutText > 0 ? `${report.withoutText} older questions are counted in /stats but their text was not kept (QUESTION_LOG_DAYS).` : '',
  ].filter(Boolean);
  const embed: APIEmbed = {
    title: `Unanswered questions, last ${report.days} days: ${total} in ${report.groups.length} groups`,
    description: trimText(lines.join('\n\n') || `No question went unanswered in the last ${report.days} days.`, DISCORD_LIMITS.embedDescription),
    footer: { text: notes.join(' ') },
  };
  const buttons: APIButtonComponent[] = shown.map((group, index) => ({
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label: `✓ ${index + 1} resolved`,
    custom_id: resolveButtonId(report.days, group.members[0]!),
  }));
  const rows: APIActionRowComponent<APIButtonComponent>[] = [];
  for (let start = 0; start < buttons.length; start += 5) rows.push({ type: ComponentType.ActionRow, components: buttons.slice(start, start + 5) });
  return { embeds: [embed], components: rows };
}
