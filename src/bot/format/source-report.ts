import { time, TimestampStyles } from 'discord.js';
import type { SourceInfo } from '../../sources/source-record.ts';
import { summarizeSync, type SourceSyncReport } from '../../sources/sync-source.ts';
import { safeText, trimText } from './text.ts';

/** "• `docs-example-com` site (this server) — <url>, 12 pages, synced 3 hours ago ⚠️ last error". */
export function formatSourceLine(source: SourceInfo, server: string | undefined): string {
  const owner = source.server !== '' && source.server === server ? ' (this server)' : '';
  const synced = source.lastSync ? `synced ${time(new Date(source.lastSync), TimestampStyles.RelativeTime)}` : 'never synced';
  const error = source.lastError ? `\n  ⚠️ ${safeText(trimText(source.lastError, 300))}` : '';
  return `• \`${source.id}\` ${source.kind}${owner} — <${source.url}>, ${source.pageCount} page${source.pageCount === 1 ? '' : 's'}, ${synced}${error}`;
}

/** What one source's sync did, with its error if it had one. */
export function formatSourceSync(report: SourceSyncReport): string {
  const error = report.lastError ? `\n⚠️ ${safeText(trimText(report.lastError, 500))}` : '';
  return `🌐 \`${report.id}\`: ${summarizeSync(report)}.${error}`;
}
