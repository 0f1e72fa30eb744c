import type { APIEmbed } from 'discord.js';
import type { KnowledgeStats, ThresholdSuggestion } from '../../knowledge/knowledge-log.ts';
import { safeText } from './text.ts';

/** The file name of the `/stats` chart, referenced by the embed as attachment://. */
export const STATS_CHART_NAME = 'questions-per-day.png';

/** `/stats` as an embed: totals, shares, votes, latency, the documents cited most, and the threshold the votes support. */
export function buildStatsEmbed(stats: KnowledgeStats, suggestion: ThresholdSuggestion): APIEmbed {
  const share = (part: number) => (stats.questions === 0 ? '–' : `${Math.round((100 * part) / stats.questions)}%`);
  const ms = (value: number | undefined) => (value === undefined ? '–' : value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(1)} s`);
  const documents = stats.topDocuments.map((entry, index) => `${index + 1}. \`${safeText(entry.document)}\` — ${entry.citations}`).join('\n');
  return {
    title: `Questions, last ${stats.days} days`,
    fields: [
      { name: 'Questions', value: String(stats.questions), inline: true },
      { name: 'Answered', value: `${stats.answered} (${share(stats.answered)})`, inline: true },
      { name: 'No confident match', value: `${stats.noMatch} (${share(stats.noMatch)})`, inline: true },
      { name: 'Votes', value: `👍 ${stats.up} · 👎 ${stats.down}`, inline: true },
      { name: 'Answer time', value: `p50 ${ms(stats.latencyP50)} · p95 ${ms(stats.latencyP95)}`, inline: true },
      { name: 'Documents cited most', value: documents || '–' },
      { name: 'Suggested threshold', value: describeSuggestion(suggestion) },
    ],
    image: { url: `attachment://${STATS_CHART_NAME}` },
  };
}

/** What the votes say about MIN_SCORE, in one or two sentences. */
export function describeSuggestion(suggestion: ThresholdSuggestion): string {
  const votes = `${suggestion.up} 👍 / ${suggestion.down} 👎 with a recorded confidence`;
  if (suggestion.reason === 'too-few-votes') return `Not enough votes yet (${votes}; needs 10, 3 of them 👎).`;
  if (suggestion.threshold === undefined) return `The current threshold does as well as any (${votes}).`;
  return `**${suggestion.threshold.toFixed(3)}**: would have withheld ${suggestion.withheldDown} of ${suggestion.down} 👎 answers and ${suggestion.withheldUp} of ${suggestion.up} 👍 (${votes}).`;
}
