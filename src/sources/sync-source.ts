import { createError, describeError } from '../errors.ts';
import { gitOriginOf, syncGitSource, type GitOptions } from './git-sync.ts';
import { checkSourceUrl } from './safe-http.ts';
import { SourceFolder } from './source-folder.ts';
import { sourceFolder, type SourceKind, type SourceRecord } from './source-record.ts';
import { syncWebSource, type SyncCounts, type SyncLimits, type SyncOutcome } from './web-sync.ts';

/** What one source's sync did, for the CLI and the Discord reply. */
export interface SourceSyncReport {
  readonly id: string;
  readonly url: string;
  readonly pageCount: number;
  readonly counts: SyncCounts;
  readonly skipped: readonly { readonly url: string; readonly reason: string }[];
  readonly lastError: string | null;
}

/**
 * The kind of a source from its URL, unless the admin said: a `.git` URL or a GitHub/GitLab repository URL is a
 * repository; a URL ending in `/` or naming a sitemap (`.xml`) is a site; anything else is one page.
 */
export function detectKind(url: URL, requested?: SourceKind): SourceKind {
  if (requested) return requested;
  if (gitOriginOf(url) !== null) return 'git';
  if (url.pathname.endsWith('/') || /\.xml$/i.test(url.pathname)) return 'site';
  return 'page';
}

/** A new record for `url`, checked (scheme, address literal) but not fetched yet. */
export function newSourceRecord(rawUrl: string, id: string, server: string, allowPrivate: boolean, requested?: SourceKind): SourceRecord {
  const url = checkSourceUrl(rawUrl.trim(), { allowPrivate });
  url.hash = '';
  const kind = detectKind(url, requested);
  const git = kind === 'git' ? gitOriginOf(url) : undefined;
  if (kind === 'git' && !git) throw createError('SOURCE_URL_REFUSED', url.href, 'it is not a git repository URL');
  return {
    id,
    url: url.href,
    kind,
    server,
    addedAt: new Date().toISOString(),
    lastSync: null,
    lastError: null,
    pages: {},
    ...(git ? { git } : {}),
  };
}

/**
 * Syncs one source into its folder and returns its updated record. A failure of the whole source (refused,
 * unreachable, not a repository) is recorded as its last error and its stored pages stay as they were.
 */
export async function syncSource(record: SourceRecord, dataDir: string, limits: SyncLimits, git: GitOptions): Promise<{ record: SourceRecord; report: SourceSyncReport }> {
  const folder = new SourceFolder(sourceFolder(dataDir, record.server, record.id));
  let outcome: SyncOutcome;
  try {
    outcome = record.kind === 'git' ? await syncGitSource(record, folder, limits, git) : await syncWebSource(record, folder, limits);
  } catch (error) {
    outcome = {
      pages: { ...record.pages },
      lastError: describeError(error),
      counts: { changed: 0, unchanged: 0, notModified: 0, removed: 0, failed: 1 },
      skipped: [],
    };
  }
  const updated: SourceRecord = {
    ...record,
    ...(outcome.git ? { git: outcome.git } : {}),
    pages: outcome.pages,
    lastSync: new Date().toISOString(),
    lastError: outcome.lastError,
  };
  return {
    record: updated,
    report: {
      id: record.id,
      url: record.url,
      pageCount: Object.keys(outcome.pages).length,
      counts: outcome.counts,
      skipped: outcome.skipped,
      lastError: outcome.lastError,
    },
  };
}

/** One line of what a sync did: "12 pages: 2 changed, 10 unchanged (10 not modified), 0 removed, 0 failed". */
export function summarizeSync(report: SourceSyncReport): string {
  const { changed, unchanged, notModified, removed, failed } = report.counts;
  const modified = notModified > 0 ? ` (${notModified} not modified)` : '';
  const skipped = report.skipped.length > 0 ? `, ${report.skipped.length} skipped` : '';
  return `${report.pageCount} page${report.pageCount === 1 ? '' : 's'}: ${changed} new or changed, ${unchanged} unchanged${modified}, ${removed} removed, ${failed} failed${skipped}`;
}
