import type { ReindexProgress, ReindexReport } from '../../engine/types.ts';
import { printableLine } from '../../printable-text.ts';

/** "Embedding: 3 documents, 120 paragraphs, 40/80 embedded (35/s)". */
export function formatProgress(progress: ReindexProgress): string {
  if (progress.phase === 'fetching') return `⏳ Fetching: ${progress.documents} pages`;
  const rate = progress.embeddingsPerSecond > 0 ? ` (${progress.embeddingsPerSecond.toFixed(0)}/s)` : '';
  const phase = progress.phase[0]!.toUpperCase() + progress.phase.slice(1);
  return `⏳ ${phase}: ${progress.documents} documents, ${progress.paragraphs} paragraphs, ${progress.embedded}/${progress.toEmbed} embedded${rate}`;
}

/** The closing line of a reindex: what changed and how long it took. */
export function formatReport(report: ReindexReport): string {
  const skipped = report.skipped.length > 0 ? `\n⚠️ Skipped ${report.skipped.length}: ${report.skipped.map((skip) => printableLine(`${skip.path.split('/').pop()} (${skip.reason})`)).join('; ')}` : '';
  return (
    `✅ Reindexed in ${report.seconds.toFixed(1)} s: ${report.added} added, ${report.changed} changed, ` +
    `${report.removed} removed, ${report.unchanged} unchanged; ${report.paragraphs} paragraphs, ${report.embedded} embedded` +
    `${report.rebuilt ? ' (full rebuild)' : ''}.${skipped}`
  );
}

/** Calls `send` at most once per `intervalMs` (Discord rate-limits message edits), always with the latest text. */
export function throttle<T>(send: (value: T) => Promise<unknown>, intervalMs: number, now: () => number = Date.now): (value: T) => void {
  let last = -Infinity;
  return (value) => {
    if (now() - last < intervalMs) return;
    last = now();
    send(value).catch(() => undefined);
  };
}
