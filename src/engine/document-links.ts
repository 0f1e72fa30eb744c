import path from 'node:path';
import { pagePath, type PageRoute, type SiteLayout } from './site-layout.ts';

/**
 * A folder whose documents are published under a base URL: `guide/setup.md` in it → `<baseUrl>guide/setup.md`
 * as a forge shows files, or the page a docs-site generator makes of it (`<baseUrl>guide/setup`, or its slug).
 */
export interface FolderLink {
  /** Absolute path of the folder. */
  readonly folder: string;
  /** Absolute http(s) URL ending in `/` (e.g. `https://github.com/org/repo/blob/main/docs/`). */
  readonly baseUrl: string;
  /** How its files become pages (default `files`: at their own paths, front matter slugs ignored). */
  readonly layout?: SiteLayout;
}

/** What a document says about where it is published: its own URL, or its slug / permalink on a docs site. */
export interface DeclaredPage extends PageRoute {
  readonly url?: string;
}

/** What a link to a passage or a document is made from. */
export interface LinkTarget extends PageRoute {
  /** Absolute path of the document's file. */
  readonly file: string;
  /** The URL the document declares for itself (front matter, canonical link), if any. */
  readonly declaredUrl?: string;
  /** The section's anchor, if the passage is under a heading that has one. */
  readonly anchor?: string;
}

/**
 * Where documents are published, so citations can link to them. A document's own URL (front matter `url:` /
 * `source:`, HTML canonical link) wins; else the deepest registered folder holding the file gives a base URL, to
 * which the file's path inside that folder is added, each segment percent-encoded. The DOCS_BASE_URL setting
 * fills the pair for the shared documents folder; other sources (synced repositories) register their own.
 */
export class DocumentLinks {
  private readonly folders: FolderLink[];

  /**
   * `fileOf` gives the file an indexed document of a knowledge base ("" = the shared one) was read from;
   * `syncedFolders` the folders of synced sources that are published somewhere (asked each time: they come and go).
   */
  constructor(
    folders: readonly FolderLink[] = [],
    private readonly fileOf: (scope: string, documentPath: string) => string = (_scope, documentPath) => documentPath,
    private readonly syncedFolders: () => readonly FolderLink[] = () => [],
  ) {
    this.folders = folders.map((link) => ({ ...link, folder: path.resolve(link.folder), baseUrl: withTrailingSlash(link.baseUrl) }));
  }

  /**
   * `{ url }` for an indexed document of a knowledge base (or a passage of it, with `anchor`) that is published
   * somewhere; `{}` when it is not, so that callers can spread it.
   */
  linkOf(scope: string, documentPath: string, page: DeclaredPage = {}, anchor?: string): { url?: string } {
    const file = this.fileOf(scope, documentPath);
    const url = this.passageUrl({
      file,
      ...(page.url !== undefined && { declaredUrl: page.url }),
      ...(page.slug !== undefined && { slug: page.slug }),
      ...(page.permalink !== undefined && { permalink: page.permalink }),
      ...(anchor !== undefined && { anchor }),
    });
    return url === undefined ? {} : { url };
  }

  /**
   * The page's URL, or undefined when neither the document nor a folder says where it is published. Under a folder
   * published by a docs-site generator, the page's path follows that generator's rules, front matter slug or
   * permalink included ({@link pagePath}).
   */
  pageUrl(target: Omit<LinkTarget, 'anchor'>): string | undefined {
    if (target.declaredUrl !== undefined) return target.declaredUrl;
    const file = path.resolve(target.file);
    let best: FolderLink | undefined;
    const synced = this.syncedFolders().map((link) => ({ ...link, folder: path.resolve(link.folder), baseUrl: withTrailingSlash(link.baseUrl) }));
    for (const link of [...this.folders, ...synced]) {
      const inside = file.startsWith(link.folder + path.sep);
      if (inside && (best === undefined || link.folder.length > best.folder.length)) best = link;
    }
    if (!best) return undefined;
    const relative = path.relative(best.folder, file).split(path.sep).join('/');
    // Concatenated, not resolved: the path is encoded and has no `..`, so it stays below the base URL.
    return new URL(best.baseUrl + pagePath(best.layout ?? 'files', relative, target)).href;
  }

  /** The page's URL with the section's anchor as fragment (unless the URL has a fragment already). */
  passageUrl(target: LinkTarget): string | undefined {
    const page = this.pageUrl(target);
    if (page === undefined || target.anchor === undefined || page.includes('#')) return page;
    return `${page}#${encodeURIComponent(target.anchor)}`;
  }
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
