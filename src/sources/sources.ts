import type { SourceConfig } from '../config.ts';
import { createError } from '../errors.ts';
import type { GitOptions } from './git-sync.ts';
import { HostPacer } from './host-pacer.ts';
import { SourceFolder } from './source-folder.ts';
import { newSourceId, sourceFolder, sourceInfo, type SourceInfo, type SourceKind, type SourceRecord } from './source-record.ts';
import { SourceRegistry } from './source-registry.ts';
import { newSourceRecord, syncSource, type SourceSyncReport } from './sync-source.ts';
import type { SyncLimits } from './web-sync.ts';

/** The product token and contact of the requests sources make. */
export const SOURCE_USER_AGENT = 'docqa/0.1 (documentation question-answering bot; robots.txt agent "docqa")';

/** Which sources a sync covers: one by id, a server's own, or (neither) all. */
export interface SourceFilter {
  readonly id?: string;
  /** Only the sources this server added (not the shared ones). */
  readonly server?: string;
}

/**
 * The sources of every knowledge base: their registry, their folders, and syncing them. It writes files and the
 * registry; the caller (the engine) holds the reindex lock around every change and reindexes after it.
 */
export class Sources {
  private readonly registry: SourceRegistry;

  constructor(
    private readonly dataDir: string,
    private readonly config: SourceConfig,
  ) {
    this.registry = SourceRegistry.in(dataDir);
  }

  /** Sources visible to a server (shared ones and its own), or every source when `server` is undefined. */
  list(server?: string): SourceInfo[] {
    return this.registry
      .list()
      .filter((record) => server === undefined || record.server === '' || record.server === server)
      .map(sourceInfo);
  }

  /**
   * Checks `url` and makes the record of a new source of `server` ("" = shared), without fetching anything:
   * a refused URL (scheme, credentials, an address literal the rule refuses) or one already added throws here.
   */
  prepare(url: string, server: string, kind?: SourceKind): SourceRecord {
    const records = this.registry.list();
    const record = newSourceRecord(url, newSourceId(url.trim(), new Set(records.map((existing) => existing.id))), server, this.config.allowPrivate, kind);
    const existing = records.find((other) => other.url === record.url && other.server === server);
    if (existing) throw createError('SOURCE_EXISTS', record.url, existing.id);
    return record;
  }

  /**
   * Syncs a new source and registers it. A source of which nothing could be read is not kept: its folder is
   * removed and the reason thrown, so a mistyped URL leaves nothing behind.
   */
  async add(prepared: SourceRecord, onPage?: (done: number) => void): Promise<SourceSyncReport> {
    // Checked again under the lock: another add may have taken the id (or the URL) since prepare().
    const records = this.registry.list();
    const existing = records.find((other) => other.url === prepared.url && other.server === prepared.server);
    if (existing) throw createError('SOURCE_EXISTS', prepared.url, existing.id);
    const taken = new Set(records.map((other) => other.id));
    const record = taken.has(prepared.id) ? { ...prepared, id: newSourceId(prepared.url, taken) } : prepared;
    const { record: synced, report } = await syncSource(record, this.dataDir, this.limits(onPage), this.gitOptions());
    if (report.pageCount === 0) {
      new SourceFolder(sourceFolder(this.dataDir, record.server, record.id)).removeAll();
      const reason = report.lastError ?? (report.skipped.length > 0 ? `nothing to index (${report.skipped.slice(0, 3).map((skip) => `${skip.url}: ${skip.reason}`).join('; ')})` : 'no page or document was found');
      throw createError('SOURCE_UNREADABLE', record.url, reason);
    }
    this.registry.put(synced);
    return report;
  }

  /** The records a filter names; an id that is not there (or not the server's) is SOURCE_NOT_FOUND. */
  select(filter: SourceFilter): SourceRecord[] {
    const records = this.registry.list().filter((record) => filter.server === undefined || record.server === filter.server);
    if (filter.id === undefined) return records;
    const record = records.find((candidate) => candidate.id === filter.id);
    if (!record) throw createError('SOURCE_NOT_FOUND', filter.id);
    return [record];
  }

  /** Syncs the records one after the other, saving each one's new state as soon as it is known. */
  async sync(records: readonly SourceRecord[], onPage?: (done: number) => void): Promise<SourceSyncReport[]> {
    const reports: SourceSyncReport[] = [];
    let before = 0;
    for (const record of records) {
      const { record: synced, report } = await syncSource(record, this.dataDir, this.limits(onPage && ((done) => onPage(before + done))), this.gitOptions());
      before += report.counts.changed + report.counts.unchanged + report.counts.failed;
      this.registry.put(synced);
      reports.push(report);
    }
    return reports;
  }

  /** Deletes a source's folder and its record. */
  remove(record: SourceRecord): void {
    new SourceFolder(sourceFolder(this.dataDir, record.server, record.id)).removeAll();
    this.registry.remove(record.id);
  }

  private limits(onPage?: (done: number) => void): SyncLimits {
    return {
      policy: {
        allowPrivate: this.config.allowPrivate,
        maxBytes: this.config.maxPageBytes,
        timeoutMs: this.config.timeoutMs,
        maxRedirects: 5,
        userAgent: SOURCE_USER_AGENT,
      },
      pacer: new HostPacer(this.config.requestIntervalMs),
      maxPages: this.config.maxPages,
      maxDepth: this.config.maxDepth,
      ...(onPage ? { onPage } : {}),
    };
  }

  private gitOptions(): GitOptions {
    return { timeoutMs: Math.max(this.config.timeoutMs, 60_000), maxBytes: this.config.maxRepositoryBytes };
  }
}
