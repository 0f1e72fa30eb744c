import crypto from 'node:crypto';
import path from 'node:path';

/** What a source is: one web page, a site (sitemap or links under a path), or a git repository's folder. */
export type SourceKind = 'page' | 'site' | 'git';

/** What the last sync knew of one page or file of a source. */
export interface PageState {
  /** The file it is stored as, relative to the source's folder (`/`-separated). */
  readonly file: string;
  /** sha256 of the stored file's bytes: an unchanged page is not rewritten. */
  readonly hash: string;
  /** Validators from the last good response, sent back as If-None-Match / If-Modified-Since. */
  readonly etag?: string;
  readonly lastModified?: string;
  /** Same-site links of the page (a site crawled without a sitemap), so a 304 still tells where to go next. */
  readonly links?: readonly string[];
  /** Why the last fetch failed; the stored file is the last good version. */
  readonly error?: string;
}

/** Where a git source comes from and where its files are seen on the web. */
export interface GitOrigin {
  /** The URL `git clone` is given. */
  readonly cloneUrl: string;
  /** Branch to clone; "" = the remote's default. */
  readonly branch: string;
  /** Folder inside the repository ("" = all of it), `/`-separated, no leading or trailing `/`. */
  readonly folder: string;
  /** The commit of the last sync. */
  readonly commit?: string;
}

/** One source in the registry (index-data/sources.json). */
export interface SourceRecord {
  readonly id: string;
  readonly url: string;
  readonly kind: SourceKind;
  /** The knowledge base it belongs to: "" = shared, else the server id that added it. */
  readonly server: string;
  readonly addedAt: string;
  readonly lastSync: string | null;
  /** What went wrong at the last sync (the whole source, or a summary of failed pages), null when nothing did. */
  readonly lastError: string | null;
  /** Pages or files by URL (web) or repository path (git). */
  readonly pages: Readonly<Record<string, PageState>>;
  readonly git?: GitOrigin;
}

/** What `/sources` and `docqa sources` show of a source. */
export interface SourceInfo {
  readonly id: string;
  readonly url: string;
  readonly kind: SourceKind;
  readonly server: string;
  readonly pageCount: number;
  readonly lastSync: string | null;
  readonly lastError: string | null;
  /** The web address its stored files are seen at, for links (git sources), else null. */
  readonly baseUrl: string | null;
}

/** Source ids: lower-case letters, digits and `-`, so an id can name a folder and be typed in a command. */
export const SOURCE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,59}$/;

/** A readable, unused id from the URL: `https://docs.example.com/guide/` → `docs-example-com-guide`. */
export function newSourceId(url: string, taken: ReadonlySet<string>): string {
  const parsed = new URL(url);
  const stem =
    `${parsed.hostname}${parsed.pathname}`
      .toLowerCase()
      .replace(/\.git$/, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48)
      .replace(/-+$/, '') || 'source';
  if (!taken.has(stem)) return stem;
  for (let n = 2; ; n++) if (!taken.has(`${stem}-${n}`)) return `${stem}-${n}`;
}

/** The folder a source's files live in: index-data/sources/<id>/ (shared) or index-data/servers/<server>/sources/<id>/. */
export function sourceFolder(dataDir: string, server: string, id: string): string {
  if (!SOURCE_ID_PATTERN.test(id)) throw new Error(`invalid source id "${id}"`);
  if (server !== '' && !/^\d{1,25}$/.test(server)) throw new Error(`invalid server id "${server}"`);
  return server === '' ? path.join(dataDir, 'sources', id) : path.join(dataDir, 'servers', server, 'sources', id);
}

/**
 * The web address a git source's stored files are seen at (a folder URL ending in `/`), for the citation links:
 * a stored file `guide/install.md` is `<base>guide/install.md`. GitHub, GitLab and Codeberg-style hosts show files
 * under `/blob/<branch>/`; for another host, the repository's own URL is the best there is.
 */
export function gitWebBaseUrl(origin: GitOrigin): string {
  const url = new URL(origin.cloneUrl);
  const repository = url.pathname.replace(/\.git$/, '').replace(/\/+$/, '');
  const folder = origin.folder === '' ? '' : `${origin.folder}/`;
  const branch = origin.branch || 'HEAD';
  if (url.hostname === 'github.com' || url.hostname.endsWith('.github.com')) return `${url.origin}${repository}/blob/${branch}/${folder}`;
  if (url.hostname.includes('gitlab')) return `${url.origin}${repository}/-/blob/${branch}/${folder}`;
  if (url.hostname === 'codeberg.org') return `${url.origin}${repository}/src/branch/${branch}/${folder}`;
  return `${url.origin}${repository}/${folder}`;
}

/** What a record shows. */
export function sourceInfo(record: SourceRecord): SourceInfo {
  return {
    id: record.id,
    url: record.url,
    kind: record.kind,
    server: record.server,
    pageCount: Object.values(record.pages).length,
    lastSync: record.lastSync,
    lastError: record.lastError,
    baseUrl: record.git ? gitWebBaseUrl(record.git) : null,
  };
}

/** sha256 of bytes, hex. */
export function contentHash(bytes: string | Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}
