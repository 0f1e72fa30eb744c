import fs from 'node:fs';
import path from 'node:path';
import { createError } from '../errors.ts';
import { writeFileAtomic } from '../store/atomic-file.ts';
import { removalChange, uploadChange } from './document-changes.ts';
import { DocumentLinks, type FolderLink } from './document-links.ts';
import { serverDocsDir } from './document-sources.ts';
import type { IndexLifecycle } from './index-lifecycle.ts';
import { safeDocumentName } from './safe-file-name.ts';
import { reindexProgress, type DocumentInfo, type ReindexProgress, type ReindexReport } from './types.ts';
import type { SourceConfig } from '../config.ts';
import { sourceFolder, type SourceInfo, type SourceKind } from '../sources/source-record.ts';
import { Sources, type SourceFilter } from '../sources/sources.ts';
import type { SourceSyncReport } from '../sources/sync-source.ts';

/**
 * The knowledge bases: the shared documents ("" scope) and each server's own, as indexed, and the sources that
 * sync into them. A server's admins add and remove its documents and sources here; every change goes through the
 * index lifecycle, under its lock, so the files on disk always match what is listed.
 */
export class KnowledgeBases {
  private readonly sources: Sources;

  constructor(
    private readonly config: { readonly dataDir: string; readonly maxDocumentBytes: number; readonly sources: SourceConfig },
    private readonly lifecycle: IndexLifecycle,
    private readonly links: DocumentLinks = new DocumentLinks(),
  ) {
    this.sources = new Sources(config.dataDir, config.sources);
  }

  /** The folders of synced sources that say where their files are published (git repositories), for links. */
  publishedSourceFolders(): FolderLink[] {
    let sources: SourceInfo[];
    try {
      sources = this.sources.list();
    } catch {
      return []; // a corrupt registry costs these links, never an answer (sync and /sources report it)
    }
    return sources.flatMap((source) => (source.baseUrl === null ? [] : [{ folder: sourceFolder(this.config.dataDir, source.server, source.id), baseUrl: source.baseUrl }]));
  }

  /** Sources visible to a server (shared and its own), or all of them (the CLI: `server` undefined). */
  listSources(server?: string): SourceInfo[] {
    return this.sources.list(server);
  }

  /**
   * Adds a source (a web page, a site, a git repository) to a knowledge base ("" = shared, else a server id),
   * fetches it and indexes its pages. The URL is checked before anything is fetched; a source of which nothing
   * can be read is not kept. Holds the reindex lock from the first request to the index commit.
   */
  async addSource(server: string, url: string, kind?: SourceKind, onProgress?: (progress: ReindexProgress) => void): Promise<{ source: SourceInfo; sync: SourceSyncReport; report: ReindexReport }> {
    const record = this.sources.prepare(url, server, kind);
    const { value: sync, report } = await this.lifecycle.underLock(`${record.url} was not added`, () => this.sources.add(record, fetchProgress(onProgress)), onProgress);
    return { source: this.sources.list().find((source) => source.id === sync.id)!, sync, report };
  }

  /**
   * Re-syncs sources (one, a server's own, or all) and indexes what changed: unchanged pages cost a conditional
   * request and no embedding. Under the reindex lock, so only one sync or reindex runs.
   */
  async syncSources(filter: SourceFilter = {}, onProgress?: (progress: ReindexProgress) => void): Promise<{ sources: SourceSyncReport[]; report: ReindexReport }> {
    const records = this.sources.select(filter);
    const { value, report } = await this.lifecycle.underLock('the sources were not synced', () => this.sources.sync(records, fetchProgress(onProgress)), onProgress);
    return { sources: value, report };
  }

  /** Removes a source, its pages and their paragraphs. With `server`, only a source that server added. */
  async removeSource(id: string, server?: string): Promise<ReindexReport> {
    const [record] = this.sources.select({ id, ...(server === undefined ? {} : { server }) });
    const { report } = await this.lifecycle.underLock(`${id} was not removed`, async () => this.sources.remove(record!));
    return report;
  }

  /** Indexed documents visible to a server (shared ones, plus its own). */
  listDocuments(server?: string): DocumentInfo[] {
    const documents = Object.values(this.lifecycle.published?.manifest.documents ?? {});
    return documents
      .filter((document) => document.scope === '' || document.scope === server)
      .map(({ scope, path: documentPath, title, paragraphs, indexedAt, url, slug, permalink }) => ({
        scope,
        path: documentPath,
        title,
        paragraphs,
        indexedAt,
        ...this.links.linkOf(scope, documentPath, { url, slug, permalink }),
      }))
      .sort((a, b) => a.scope.localeCompare(b.scope) || a.path.localeCompare(b.path));
  }

  /**
   * Stores an uploaded document in the server's own folder (under a safe name) and indexes it. If another reindex
   * is running in this process, waits for it first; if another process holds the lock, nothing is stored.
   */
  async addDocument(server: string, fileName: string, bytes: Uint8Array, onProgress?: (progress: ReindexProgress) => void): Promise<{ path: string; report: ReindexReport }> {
    const name = safeDocumentName(fileName);
    if (bytes.byteLength > this.config.maxDocumentBytes) {
      throw createError('FILE_TOO_LARGE', this.config.maxDocumentBytes, { name, bytes: bytes.byteLength });
    }
    const file = path.join(serverDocsDir(this.config.dataDir, server), name);
    const change = uploadChange(file, bytes);
    const refused = `"${name}" was not added`;
    const report = await this.lifecycle.changeDocuments(change, refused, onProgress);
    const rejected = report.skipped.find((skip) => skip.path === file);
    if (!rejected) return { path: name, report };
    const kept = change.previous();
    if (!kept) {
      fs.rmSync(file, { force: true });
      throw createError('DOCUMENT_REJECTED', name, rejected.reason, false);
    }
    // The refused version replaced one that was indexed: put that back, and index it again.
    await this.lifecycle.changeDocuments({ apply: () => writeFileAtomic(file, kept), undo: () => {} }, refused);
    throw createError('DOCUMENT_REJECTED', name, rejected.reason, true);
  }

  /**
   * Deletes one of a server's own documents and drops it from the index. Shared documents cannot be removed. If
   * another process holds the lock, nothing is deleted. A listed document whose file is gone, or a file in the
   * server's folder that is not listed, can be removed too: "not found" only when neither exists.
   */
  async removeDocument(server: string, documentPath: string): Promise<ReindexReport> {
    const folder = serverDocsDir(this.config.dataDir, server);
    const file = path.resolve(folder, documentPath);
    const owned = this.listDocuments(server).some((document) => document.scope === server && document.path === documentPath);
    if (!file.startsWith(folder + path.sep) || (!owned && !fs.existsSync(file))) {
      throw createError('DOCUMENT_NOT_FOUND', documentPath);
    }
    return this.lifecycle.changeDocuments(removalChange(file), `"${documentPath}" was not removed`);
  }
}

/** Progress of the fetching phase of a sync: the pages done so far, as "documents". */
function fetchProgress(onProgress?: (progress: ReindexProgress) => void): ((done: number) => void) | undefined {
  return onProgress && ((done) => onProgress(reindexProgress('fetching', { documents: done })));
}
