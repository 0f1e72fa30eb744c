import type { BotConfig } from '../../config.ts';
import { effectiveSettings, type ServerSettings } from '../../knowledge/server-settings.ts';
import { safeText } from './text.ts';

/** `/settings show`: every setting, its value here, and whether the server set it or it is the `.env` default. */
export function formatSettings(config: BotConfig, settings: ServerSettings): string {
  const effective = effectiveSettings(config, settings);
  const origin = (key: keyof ServerSettings) => (settings[key] === undefined ? ' *(default)*' : '');
  const channels = (ids: readonly string[]) => (ids.length > 0 ? ids.map((id) => `<#${id}>`).join(', ') : 'none');
  const limits = Object.entries(settings.channelDocuments ?? {});
  return [
    '**Settings of this server**',
    `• Q&A channels (every message is a question): ${channels(effective.qaChannelIds)}${origin('qaChannels')}`,
    `• Answer in a thread: ${yesNo(effective.answerInThread)}${origin('answerInThread')}`,
    `• /ask answers public by default: ${yesNo(effective.publicAnswers)}${origin('publicAnswers')}`,
    `• "No confident match" threshold: ${effective.minScore ?? 'the configured one (MIN_SCORE or the mode\'s default)'}${origin('minScore')}`,
    `• Passages per answer: ${effective.passagesPerAnswer ?? 'the configured number (TOP_K)'}${origin('passagesPerAnswer')}`,
    `• Channels limited to some documents: ${limits.length === 0 ? 'none (every channel answers from all documents)' : ''}`,
    ...limits.map(([channel, documents]) => `  <#${channel}>: ${documents.map((document) => `\`${safeText(document)}\``).join(', ')}`),
  ].join('\n');
}

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}
