import { describeError } from '../errors.ts';
import type { HostPacer } from './host-pacer.ts';
import { escapeText, extractMainContent, pageDocument } from './main-content.ts';
import { fetchRobots, type RobotsRules } from './robots.ts';
import { safeFetch, type FetchedPage, type FetchPolicy } from './safe-http.ts';
import { parseSitemap } from './sitemap.ts';
import type { SourceFolder } from './source-folder.ts';
import { contentHash, type GitOrigin, type PageState, type SourceRecord } from './source-record.ts';

/** What a sync may do and whom it tells. */
export interface SyncLimits {
  readonly policy: FetchPolicy;
  readonly pacer: HostPacer;
  /** MAX_SOURCE_PAGES: pages (or files) one source may hold. */
  readonly maxPages: number;
  /** How many links away from the start page a site without a sitemap is followed. */
  readonly maxDepth: number;
  /** Called after each page or file with how many are done. */
  readonly onPage?: (done: number) => void;
}

/** The result of syncing one source: its pages now, and what happened to them. */
export interface SyncOutcome {
  readonly pages: Record<string, PageState>;
  readonly lastError: string | null;
  readonly counts: SyncCounts;
  /** Pages or files left out, with the reason (not a web page, disallowed by robots.txt, not a document). */
  readonly skipped: { readonly url: string; readonly reason: string }[];
  /** A git source's origin after the sync (its commit, its branch). */
  readonly git?: GitOrigin;
}

export interface SyncCounts {
  /** Pages written because they are new or changed. */
  changed: number;
  /** Pages fetched whose content was the same, or answered 304 Not Modified. */
  unchanged: number;
  /** Of the unchanged, those the server answered with 304 (no body sent). */
  notModified: number;
  /** Pages removed: gone from the site (404/410) or no longer listed. */
  removed: number;
  /** Pages that failed (error, timeout, 5xx): the last good version is kept. */
  failed: number;
}

/** How many sitemaps (an index and the sitemaps it names) one sync reads at most. */
const MAX_SITEMAPS = 20;

/**
 * Brings a web source (one page, or a site) up to date in `folder`. Pages are fetched with the validators of the
 * last sync (ETag, Last-Modified), so an unchanged page costs one 304 and no write; each stored page is the
 * page's main content in an HTML file naming its URL (`<link rel="canonical">`). A page that fails keeps its last
 * good version and records the error; a page gone (404, 410) or no longer linked is removed — but only when the
 * start of the site could be read, so a site that is down loses nothing.
 */
export async function syncWebSource(record: SourceRecord, folder: SourceFolder, limits: SyncLimits): Promise<SyncOutcome> {
  const start = new URL(record.url);
  start.hash = '';
  const robots = await fetchRobots(start.origin, limits.policy);
  if (robots.crawlDelaySeconds !== undefined) limits.pacer.setDelay(start.host, robots.crawlDelaySeconds * 1000);
  const crawl = new WebCrawl(record, folder, limits, robots, start);
  return crawl.run();
}

class WebCrawl {
  private readonly pages: Record<string, PageState> = {};
  private readonly skipped: { url: string; reason: string }[] = [];
  private readonly counts: SyncCounts = { changed: 0, unchanged: 0, notModified: 0, removed: 0, failed: 0 };
  private readonly errors: string[] = [];
  private readonly prefix: string;
  private done = 0;

  constructor(
    private readonly record: SourceRecord,
    private readonly folder: SourceFolder,
    private readonly limits: SyncLimits,
    private readonly robots: RobotsRules,
    private readonly start: URL,
  ) {
    this.prefix = start.pathname.endsWith('/') ? start.pathname : start.pathname.slice(0, start.pathname.lastIndexOf('/') + 1);
  }

  async run(): Promise<SyncOutcome> {
    let listed = false; // whether the pages of the site are known now (so the ones not seen are gone)
    if (this.record.kind === 'page') {
      listed = await this.visit(this.start.href, 0, false);
    } else {
      const fromSitemaps = await this.sitemapPages();
      if (fromSitemaps.length > 0) {
        listed = true;
        for (const url of fromSitemaps.slice(0, this.limits.maxPages)) await this.visit(url, 0, false);
      } else {
        listed = await this.crawlLinks();
      }
    }
    this.dropUnseen(listed);
    const lastError =
      this.errors.length === 0 ? null : this.errors.length === 1 ? this.errors[0]! : `${this.errors.length} pages failed; first: ${this.errors[0]}`;
    return { pages: this.pages, lastError, counts: this.counts, skipped: this.skipped };
  }

  /** Pages in scope listed by the site's sitemaps: `<url>` itself if it is one, else sitemap.xml beside it, at the root, or in robots.txt. */
  private async sitemapPages(): Promise<string[]> {
    const candidates = /\.xml$/i.test(this.start.pathname)
      ? [this.start.href]
      : [...new Set([new URL('sitemap.xml', new URL(this.prefix, this.start)).href, new URL('/sitemap.xml', this.start).href, ...this.robots.sitemaps])];
    const pages: string[] = [];
    const seen = new Set<string>();
    for (let queue = candidates; queue.length > 0 && seen.size < MAX_SITEMAPS; ) {
      const sitemap = queue.shift()!;
      if (seen.has(sitemap)) continue;
      seen.add(sitemap);
      const response = await this.fetch(sitemap, {}).catch(() => null);
      if (!response || response.status !== 200) continue;
      const entries = parseSitemap(response.body.toString('utf8'));
      queue = [...queue, ...entries.sitemaps];
      for (const page of entries.pages) if (this.inScope(page) && !pages.includes(page)) pages.push(page);
      if (pages.length > 0 && /\.xml$/i.test(this.start.pathname) === false) break; // the first sitemap with pages wins
    }
    return pages;
  }

  /** Breadth-first over same-site links under the start's folder, to `maxDepth` and `maxPages`. */
  private async crawlLinks(): Promise<boolean> {
    const queued = new Set([this.start.href]);
    let level = [this.start.href];
    let startRead = false;
    for (let depth = 0; level.length > 0 && depth <= this.limits.maxDepth; depth++) {
      const next: string[] = [];
      for (const url of level) {
        if (Object.keys(this.pages).length >= this.limits.maxPages) return startRead;
        const read = await this.visit(url, depth, true);
        if (url === this.start.href) startRead = read;
        for (const link of this.pages[url]?.links ?? []) {
          if (!queued.has(link)) {
            queued.add(link);
            next.push(link);
          }
        }
      }
      level = next;
    }
    return startRead;
  }

  /**
   * Fetches one page (conditionally) and stores it. Returns whether the page's state is known now (fetched, not
   * modified, or gone), false when it failed.
   */
  private async visit(url: string, depth: number, followLinks: boolean): Promise<boolean> {
    const prior = this.record.pages[url];
    try {
      if (!this.robots.isAllowed(url)) {
        this.skipped.push({ url, reason: 'disallowed by robots.txt' });
        if (url === this.start.href && this.record.kind === 'page') this.errors.push(`${url} is disallowed by robots.txt`);
        return true;
      }
      const validators: Record<string, string> = {};
      if (prior?.etag) validators['if-none-match'] = prior.etag;
      if (prior?.lastModified) validators['if-modified-since'] = prior.lastModified;
      const response = await this.fetch(url, validators);
      if (response.status === 304 && prior) {
        this.counts.unchanged++;
        this.counts.notModified++;
        this.pages[url] = withoutError(prior);
        return true;
      }
      if (response.status === 404 || response.status === 410) {
        if (url === this.start.href) this.errors.push(`${url} answered ${response.status} (the page is gone)`);
        return true;
      }
      if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
      this.store(url, response, prior, followLinks && depth < this.limits.maxDepth);
      return true;
    } catch (error) {
      this.counts.failed++;
      const reason = describeError(error);
      this.errors.push(reason.includes(url) ? reason : `${url}: ${reason}`);
      if (prior) this.pages[url] = { ...prior, error: reason };
      return false;
    } finally {
      this.limits.onPage?.(++this.done);
    }
  }

  private store(url: string, response: FetchedPage, prior: PageState | undefined, followLinks: boolean): void {
    const type = (response.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const text = decodeBody(response);
    let document: string;
    let links: string[] = [];
    if (type === 'text/html' || type === 'application/xhtml+xml' || (type === '' && /^\s*</.test(text))) {
      const content = extractMainContent(text, response.url);
      document = pageDocument(url, content);
      links = followLinks ? content.links.filter((link) => this.inScope(link)) : [];
    } else if (type === 'text/plain' || type === 'text/markdown') {
      const paragraphs = text.split(/\n\s*\n/).map((paragraph) => paragraph.trim()).filter((paragraph) => paragraph !== '');
      document = pageDocument(url, { title: '', html: paragraphs.map((paragraph) => `<p>${escapeText(paragraph)}</p>`).join('\n') });
    } else {
      this.skipped.push({ url, reason: `not a web page (${type || 'no content type'})` });
      return;
    }
    const hash = contentHash(document);
    const file = prior?.file ?? pageFileName(url, new Set(Object.values(this.pages).map((page) => page.file)));
    if (prior?.hash === hash) this.counts.unchanged++;
    else {
      this.folder.write(file, document);
      this.counts.changed++;
    }
    this.pages[url] = {
      file,
      hash,
      ...(response.headers.etag ? { etag: response.headers.etag } : {}),
      ...(response.headers['last-modified'] ? { lastModified: response.headers['last-modified'] } : {}),
      ...(links.length > 0 ? { links } : {}),
    };
  }

  /** Removes the files of pages not seen in this sync, once the site's pages are known; else keeps them. */
  private dropUnseen(listed: boolean): void {
    for (const [url, prior] of Object.entries(this.record.pages)) {
      if (this.pages[url]) continue;
      if (listed) {
        this.folder.remove(prior.file);
        this.counts.removed++;
      } else {
        this.pages[url] = prior;
      }
    }
  }

  private inScope(link: string): boolean {
    try {
      const url = new URL(link);
      return url.origin === this.start.origin && url.pathname.startsWith(this.prefix) && !/\.(png|jpe?g|gif|svg|webp|ico|css|js|zip|gz|pdf|mp4|mp3|woff2?)$/i.test(url.pathname);
    } catch {
      return false;
    }
  }

  private async fetch(url: string, headers: Record<string, string>): Promise<FetchedPage> {
    await this.limits.pacer.turn(new URL(url).host);
    return safeFetch(url, this.limits.policy, headers);
  }
}

function withoutError(page: PageState): PageState {
  const { error: _error, ...rest } = page;
  return rest;
}

function decodeBody(response: FetchedPage): string {
  const charset = /charset=["']?([\w-]+)/i.exec(response.headers['content-type'] ?? '')?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(response.body);
  } catch {
    return new TextDecoder('utf-8').decode(response.body);
  }
}

/**
 * A flat, safe file name for a page: its path made readable plus a short hash of the whole URL (`/docs/install`
 * → `docs-install-1a2b3c4d.html`), so two URLs never share a file and no URL can name a folder.
 */
export function pageFileName(url: string, taken: ReadonlySet<string>): string {
  const parsed = new URL(url);
  const stem =
    decodeURIComponentSafe(parsed.pathname)
      .replace(/\.(html?|php|aspx?)$/i, '')
      .replace(/[^\p{L}\p{N}_-]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'index';
  let name = `${stem}-${contentHash(url).slice(0, 8)}.html`;
  for (let n = 2; taken.has(name); n++) name = `${stem}-${contentHash(url).slice(0, 8)}-${n}.html`;
  return name;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
