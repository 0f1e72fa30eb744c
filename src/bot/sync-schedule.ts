import type { KnowledgeBase } from '../engine/knowledge-base.ts';
import { describeError, isAppError } from '../errors.ts';
import type { Logger } from '../logger.ts';

/** A running schedule; `stop()` cancels the next run (one in progress finishes). */
export interface SyncSchedule {
  stop(): void;
}

export interface SyncScheduleOptions {
  readonly knowledge: Pick<KnowledgeBase, 'syncSources'>;
  /** SYNC_INTERVAL_HOURS; 0 = no schedule. */
  readonly intervalHours: number;
  readonly logger: Logger;
  /** Timer functions (tests pass fake ones). */
  readonly timers?: { setInterval: typeof setInterval; clearInterval: typeof clearInterval };
}

/**
 * Re-syncs every source every `intervalHours` while the bot runs. A run finding another reindex or sync at work
 * (REINDEX_RUNNING) is skipped and logged: the next one comes at the next interval. Nothing overlaps, because the
 * sync takes the reindex lock.
 */
export function startSyncSchedule(options: SyncScheduleOptions): SyncSchedule {
  const { knowledge, intervalHours, logger } = options;
  if (intervalHours <= 0) return { stop: () => undefined };
  const timers = options.timers ?? { setInterval, clearInterval };
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const { sources, report } = await knowledge.syncSources({});
      const failed = sources.filter((source) => source.lastError !== null);
      if (sources.length > 0) {
        logger.info(`Scheduled sync of ${sources.length} sources: ${report.added} added, ${report.changed} changed, ${report.removed} removed, ${report.embedded} paragraphs embedded`);
      }
      for (const source of failed) logger.warn(`Scheduled sync of ${source.id}: ${source.lastError}`);
    } catch (error) {
      if (isAppError(error, 'REINDEX_RUNNING')) logger.info('Scheduled sync skipped: a reindex or sync is running; the next one is in the next interval.');
      else logger.error(`Scheduled sync failed: ${describeError(error)}`);
    } finally {
      running = false;
    }
  };
  const timer = timers.setInterval(() => void run(), intervalHours * 3_600_000);
  timer.unref?.();
  return { stop: () => timers.clearInterval(timer) };
}
