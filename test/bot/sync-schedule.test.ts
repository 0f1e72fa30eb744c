import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSyncSchedule } from '../../src/bot/sync-schedule.ts';
import { createError } from '../../src/errors.ts';
import type { ReindexReport } from '../../src/engine/types.ts';

const REPORT: ReindexReport = { added: 0, changed: 1, removed: 0, unchanged: 4, paragraphs: 20, embedded: 3, skipped: [], rebuilt: false, seconds: 1 };

function logger() {
  const lines: string[] = [];
  const log = (level: string) => (message: string) => lines.push(`${level}: ${message}`);
  return { lines, logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') } };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('startSyncSchedule', () => {
  it('syncs every source every SYNC_INTERVAL_HOURS, logging failures, until stopped', async () => {
    const calls: unknown[] = [];
    const { lines, logger: log } = logger();
    const schedule = startSyncSchedule({
      knowledge: { syncSources: async (filter) => (calls.push(filter), { sources: [{ id: 'docs', url: 'https://x', pageCount: 5, counts: { changed: 1, unchanged: 4, notModified: 4, removed: 0, failed: 1 }, skipped: [], lastError: 'https://x/a: HTTP 500' }], report: REPORT }) },
      intervalHours: 6,
      logger: log,
    });
    await vi.advanceTimersByTimeAsync(6 * 3_600_000 - 1);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual([{}]);
    expect(lines).toEqual(['info: Scheduled sync of 1 sources: 0 added, 1 changed, 0 removed, 3 paragraphs embedded', 'warn: Scheduled sync of docs: https://x/a: HTTP 500']);
    await vi.advanceTimersByTimeAsync(6 * 3_600_000);
    expect(calls).toHaveLength(2);
    schedule.stop();
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(calls).toHaveLength(2);
  });

  it('skips a run while a reindex holds the lock, and does nothing when the interval is 0', async () => {
    const { lines, logger: log } = logger();
    const busy = startSyncSchedule({ knowledge: { syncSources: async () => Promise.reject(createError('REINDEX_RUNNING')) }, intervalHours: 1, logger: log });
    await vi.advanceTimersByTimeAsync(3_600_000);
    busy.stop();
    expect(lines).toEqual(['info: Scheduled sync skipped: a reindex or sync is running; the next one is in the next interval.']);

    let called = false;
    startSyncSchedule({ knowledge: { syncSources: async () => ((called = true), { sources: [], report: REPORT }) }, intervalHours: 0, logger: log });
    await vi.advanceTimersByTimeAsync(1000 * 3_600_000);
    expect(called).toBe(false);
  });
});
