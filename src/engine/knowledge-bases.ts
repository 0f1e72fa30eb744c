import fs from 'node:fs';
import path from 'node:path';
import { createError } from '../errors.ts';
import { writeFileAtomic } from '../store/atomic-file.ts';
import { removalChange, uploadChange } from './document-changes.ts';
import { serverDocsDir } from './document-sources.ts';
import type { IndexLifecycle } from './index-lifecycle.ts';
import { safeDocumentName } from './safe-file-name.ts';
import type { DocumentInfo, ReindexProgress, ReindexReport } from './types.ts';

/**
 * The knowledge bases: the shared documents ("" scope) and each server's own, as indexed. A server's admins add
 * and remove its documents here; every change goes through the index lifecycle, under its lock, so the files
 * on disk always match what is listed.
 */
export class KnowledgeBases {
  constructor(
    private readonly config: { readonly dataDir: string; readonly maxDocumentBytes: number },
    private readonly lifecycle: IndexLifecycle,
  ) {}

  /** Indexed documents visible to a server (shared ones, plus its own). */
  listDocuments(server?: string): DocumentInfo[] {
    const documents = Object.values(this.lifecycle.published?.contents.manifest.documents ?? {});
    return documents
      .filter((document) => document.scope === '' || document.scope === server)
      .map(({ scope, path: documentPath, title, paragraphs, indexedAt }) => ({ scope, path: documentPath, title, paragraphs, indexedAt }))
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
