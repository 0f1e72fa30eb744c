import fs from 'node:fs';
import path from 'node:path';
import { readDocuments } from '../ingest/read-documents.ts';
import type { SourceDocument } from '../ingest/types.ts';
import { SOURCE_ID_PATTERN } from '../sources/source-record.ts';

/** A folder of documents and the knowledge base ("" = shared, else a server id) it belongs to. */
export interface DocumentSource {
  readonly scope: string;
  readonly root: string;
  /** Put before each document's path (`sources/<id>/` for a synced source), so paths stay unique in the scope. */
  readonly prefix?: string;
}

export interface ScopedDocument extends SourceDocument {
  readonly scope: string;
  /** The file it was read from (for messages about it). */
  readonly file: string;
}

/** Server ids are Discord snowflakes; anything else is refused so a scope can never name a path. */
export const SCOPE_PATTERN = /^\d{1,25}$/;

/** Folder of the documents a server's admins added. */
export function serverDocsDir(dataDir: string, scope: string): string {
  if (!SCOPE_PATTERN.test(scope)) throw new Error(`invalid server id "${scope}"`);
  return path.join(dataDir, 'servers', scope, 'docs');
}

/**
 * The shared folder plus one folder per server that has added documents, and the folder of every synced source
 * (index-data/sources/<id>/ shared, index-data/servers/<server>/sources/<id>/ a server's): a source's pages belong
 * to the knowledge base that added it, exactly like uploaded documents.
 */
export function listDocumentSources(docsDir: string, dataDir: string): DocumentSource[] {
  const sources: DocumentSource[] = [{ scope: '', root: docsDir }, ...syncedSources('', path.join(dataDir, 'sources'))];
  const serversDir = path.join(dataDir, 'servers');
  if (fs.existsSync(serversDir)) {
    for (const scope of fs.readdirSync(serversDir).sort()) {
      if (!SCOPE_PATTERN.test(scope)) continue;
      sources.push({ scope, root: serverDocsDir(dataDir, scope) }, ...syncedSources(scope, path.join(serversDir, scope, 'sources')));
    }
  }
  return sources;
}

/** The folders of a knowledge base's synced sources, whose documents are listed as `sources/<id>/<file>`. */
function syncedSources(scope: string, folder: string): DocumentSource[] {
  let ids: string[];
  try {
    ids = fs.readdirSync(folder).sort();
  } catch {
    return [];
  }
  return ids.filter((id) => SOURCE_ID_PATTERN.test(id)).map((id) => ({ scope, root: path.join(folder, id), prefix: `sources/${id}/` }));
}

/**
 * Reads every source; unreadable or unsupported files are reported, never fatal. A source whose folder is one
 * already read (a server's folder linked to the shared one) is skipped, so no real file is indexed twice.
 */
export async function readAllSources(
  sources: readonly DocumentSource[],
  maxBytes: number,
): Promise<{ documents: ScopedDocument[]; skipped: { path: string; reason: string }[] }> {
  const documents: ScopedDocument[] = [];
  const skipped: { path: string; reason: string }[] = [];
  const readRoots = new Map<string, string>();
  for (const source of sources) {
    const realRoot = realPathOrSelf(source.root);
    const readAs = readRoots.get(realRoot);
    if (readAs !== undefined) {
      skipped.push({ path: source.root, reason: `the same folder as ${readAs}, read once` });
      continue;
    }
    readRoots.set(realRoot, source.root);
    const result = await readDocuments(source.root, { maxBytes });
    const prefix = source.prefix ?? '';
    documents.push(...result.documents.map((document) => ({ ...document, path: prefix + document.path, scope: source.scope, file: path.join(source.root, document.path) })));
    skipped.push(...result.skipped.map((skip) => ({ ...skip, path: path.join(source.root, skip.path) })));
  }
  return { documents, skipped };
}

/** The real path of a folder, or the path itself when it cannot be resolved (readDocuments reports why). */
function realPathOrSelf(folder: string): string {
  try {
    return fs.realpathSync(folder);
  } catch {
    return path.resolve(folder);
  }
}

/** Key of a document in the manifest: unique across knowledge bases. */
export function documentKey(scope: string, documentPath: string): string {
  return scope === '' ? documentPath : `server:${scope}/${documentPath}`;
}
