import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../src/config.ts';
import { Sources } from '../../src/sources/sources.ts';
import { docsPage, LocalSite } from '../support/local-site.ts';

let site: LocalSite;
let dataDir: string;
const config: SourceConfig = { allowPrivate: true, maxPages: 50, maxDepth: 3, maxPageBytes: 256 * 1024, maxRepositoryBytes: 1024 ** 3, timeoutMs: 500, requestIntervalMs: 0 };

beforeEach(async () => {
  site = await LocalSite.start();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-sources-'));
});

afterEach(async () => {
  await site.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The stored files of a source: name → content. */
function stored(folder: string): Record<string, string> {
  if (!fs.existsSync(folder)) return {};
  return Object.fromEntries(fs.readdirSync(folder).map((name) => [name, fs.readFileSync(path.join(folder, name), 'utf8')]));
}

function storedFor(url: string, folder: string): string | undefined {
  return Object.values(stored(folder)).find((content) => content.includes(`<link rel="canonical" href="${url}">`));
}

describe('a site source with a sitemap', () => {
  beforeEach(() => {
    site.page('/robots.txt', `User-agent: *\nDisallow: /docs/private/\n`, { type: 'text/plain' });
    const listed = ['/docs/', '/docs/install', '/docs/config', '/docs/old', '/docs/broken', '/docs/slow', '/docs/huge', '/docs/data.json', '/docs/private/secret', '/docs/moved', '/docs/notes.txt', '/docs/evil', '/blog/outside', '/docs/missing'];
    site.page('/sitemap.xml', `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${listed.map((p) => `<url><loc>${site.url(p)}</loc></url>`).join('')}</urlset>`, { type: 'application/xml' });
    site.page('/docs/', docsPage('Widget guide', ['The widget guide explains installing and configuring the widget on every supported platform, step by step.']));
    site.page('/docs/install', docsPage('Installing', ['Run the installer with administrator rights, then follow the prompts until the widget service starts.']));
    site.page('/docs/config', docsPage('Configuration', ['The widget listens on port 8080 unless the configuration file says otherwise.']), { validators: 'last-modified' });
    site.page('/docs/old', docsPage('Old page', ['This page describes the retired version one of the widget.']));
    site.page('/docs/broken', docsPage('Troubleshooting', ['When the widget will not start, check the log file in the data folder first.']));
    site.routes.set('/docs/slow', { kind: 'slow' });
    site.routes.set('/docs/huge', { kind: 'huge', bytes: 2 * 1024 * 1024 });
    site.page('/docs/data.json', '{"a":1}', { type: 'application/json' });
    site.page('/docs/private/secret', docsPage('Secret', ['Not for robots.']));
    site.routes.set('/docs/moved', { kind: 'redirect', status: 301, location: '/docs/moved-here' });
    site.page('/docs/moved-here', docsPage('Moved page', ['The moved page says where the widget keeps its cache.']));
    site.page('/docs/notes.txt', 'Release notes\n\nVersion two adds a dark theme to the widget dashboard.', { type: 'text/plain; charset=utf-8' });
    site.routes.set('/docs/evil', { kind: 'redirect', location: 'http://169.254.169.254/latest/meta-data/iam/' });
    site.page('/blog/outside', docsPage('Blog', ['Out of the source: not under /docs/.']));
  });

  it('stores the main content of each page with its URL, keeps failures and skips out what is not a page', async () => {
    const sources = new Sources(dataDir, config);
    const record = sources.prepare(site.url('/docs/'), '');
    expect(record).toMatchObject({ kind: 'site', id: '127-0-0-1-docs' });
    const report = await sources.add(record);
    const folder = path.join(dataDir, 'sources', record.id);

    const install = storedFor(site.url('/docs/install'), folder)!;
    expect(install).toContain('<title>Installing</title>');
    expect(install).toContain('Run the installer with administrator rights');
    for (const furniture of ['cookies', 'Accept all', 'Copyright', 'Privacy policy', 'Blog', 'Widget Docs']) expect(install).not.toContain(furniture);

    expect(storedFor(site.url('/docs/moved'), folder)).toContain('where the widget keeps its cache');
    expect(storedFor(site.url('/docs/notes.txt'), folder)).toContain('<p>Version two adds a dark theme to the widget dashboard.</p>');
    expect(Object.keys(stored(folder))).toHaveLength(7); // guide, install, config, old, broken, moved, notes
    expect(site.counter('/blog/outside').requests).toBe(0);
    expect(site.counter('/docs/private/secret').requests).toBe(0);
    expect(site.counter('/docs/missing').requests).toBe(1);

    expect(report.pageCount).toBe(7);
    expect(report.counts).toMatchObject({ changed: 7, failed: 3 });
    expect(report.skipped).toEqual(
      expect.arrayContaining([
        { url: site.url('/docs/data.json'), reason: 'not a web page (application/json)' },
        { url: site.url('/docs/private/secret'), reason: 'disallowed by robots.txt' },
      ]),
    );
    expect(report.lastError).toMatch(/^3 pages failed; first: .*\/docs\/slow.*no complete answer within 500 ms/);
    const [info] = sources.list();
    expect(info).toMatchObject({ id: record.id, pageCount: 7, lastError: report.lastError });
    expect([...site.userAgents]).toEqual([expect.stringMatching(/^docqa\//)]);
  });

  it('re-syncs with conditional requests: unchanged pages cost a 304, changed ones are rewritten, gone ones removed, failed ones kept', async () => {
    const sources = new Sources(dataDir, config);
    const record = sources.prepare(site.url('/docs/'), '');
    await sources.add(record);
    const folder = path.join(dataDir, 'sources', record.id);
    const brokenBefore = storedFor(site.url('/docs/broken'), folder);

    site.page('/docs/config', docsPage('Configuration', ['The widget now listens on port 9090 by default.']), { validators: 'last-modified' });
    site.routes.delete('/docs/old');
    site.routes.set('/docs/broken', { kind: 'status', status: 500 });
    const [report] = await sources.sync(sources.select({ id: record.id }));

    expect(site.counter('/docs/install')).toEqual({ requests: 2, notModified: 1 });
    expect(site.counter('/docs/').notModified).toBe(1);
    expect(site.counter('/docs/config').notModified).toBe(0);
    expect(storedFor(site.url('/docs/config'), folder)).toContain('port 9090');
    expect(storedFor(site.url('/docs/old'), folder)).toBeUndefined();
    expect(storedFor(site.url('/docs/broken'), folder)).toBe(brokenBefore);
    expect(report!.counts).toMatchObject({ changed: 1, removed: 1, notModified: 4 });
    expect(report!.lastError).toMatch(/4 pages failed/);
    expect(report!.pageCount).toBe(6);
    const registry = JSON.parse(fs.readFileSync(path.join(dataDir, 'sources.json'), 'utf8'));
    expect(registry.sources[0].pages[site.url('/docs/broken')].error).toBe('HTTP 500');
    expect(registry.sources[0].pages[site.url('/docs/config')].lastModified).toMatch(/GMT$/);
  });

  it('keeps every page when the site is down', async () => {
    const sources = new Sources(dataDir, config);
    const record = sources.prepare(site.url('/docs/'), '');
    await sources.add(record);
    const folder = path.join(dataDir, 'sources', record.id);
    const before = stored(folder);
    for (const route of [...site.routes.keys()]) site.routes.set(route, { kind: 'status', status: 503 });
    const [report] = await sources.sync(sources.select({}));
    expect(stored(folder)).toEqual(before);
    expect(report!.pageCount).toBe(7);
    expect(report!.counts.removed).toBe(0);
  });
});

describe('a site source without a sitemap', () => {
  it('follows same-site links under the start path, to the depth and page limits', async () => {
    site.page('/guide/', docsPage('Start', ['Start page of the guide.'], ['/guide/a', '/guide/b', '/other/x', 'https://elsewhere.example/guide/']));
    site.page('/guide/a', docsPage('A', ['Page A of the guide.'], ['/guide/c']));
    site.page('/guide/b', docsPage('B', ['Page B of the guide.'], ['/guide/a#top']));
    site.page('/guide/c', docsPage('C', ['Page C, two links away.'], ['/guide/d']));
    site.page('/guide/d', docsPage('D', ['Page D, three links away.']));
    site.page('/other/x', docsPage('X', ['Outside.']));

    const shallow = new Sources(dataDir, { ...config, maxDepth: 1 });
    const report = await shallow.add(shallow.prepare(site.url('/guide/'), ''));
    expect(report.pageCount).toBe(3); // start, a, b
    expect(site.counter('/guide/c').requests).toBe(0);
    expect(site.counter('/other/x').requests).toBe(0);
    expect(site.counter('/guide/a').requests).toBe(1);

    const limited = new Sources(fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-sources-')), { ...config, maxPages: 2 });
    expect((await limited.add(limited.prepare(site.url('/guide/'), ''))).pageCount).toBe(2);
  });

  it('a single page source is one page; a page source whose page is gone is refused and leaves nothing', async () => {
    site.page('/faq', docsPage('FAQ', ['The widget is free for personal use.'], ['/other']));
    const sources = new Sources(dataDir, config);
    const record = sources.prepare(site.url('/faq'), '42');
    expect(record.kind).toBe('page');
    expect((await sources.add(record)).pageCount).toBe(1);
    expect(fs.readdirSync(path.join(dataDir, 'servers', '42', 'sources', record.id))).toHaveLength(1);
    expect(site.counter('/other').requests).toBe(0);

    await expect(sources.add(sources.prepare(site.url('/nothing-here'), ''))).rejects.toThrow(/Nothing could be read from .*nothing-here: .*answered 404/);
    expect(fs.existsSync(path.join(dataDir, 'sources'))).toBe(false);
    expect(sources.list().map((source) => source.id)).toEqual([record.id]);
    expect(() => sources.prepare(site.url('/faq'), '42')).toThrow(/already a source/);
  });
});

describe('source ids', () => {
  it('two servers adding the same URL get two sources, even when both were prepared before either was added', async () => {
    site.page('/faq', docsPage('FAQ', ['The widget is free for personal use.']));
    const sources = new Sources(dataDir, config);
    const first = sources.prepare(site.url('/faq'), '1');
    const second = sources.prepare(site.url('/faq'), '2');
    expect(second.id).toBe(first.id);
    await sources.add(first);
    const report = await sources.add(second);
    expect(report.id).toBe(`${first.id}-2`);
    expect(sources.list().map((source) => [source.id, source.server])).toEqual([[first.id, '1'], [`${first.id}-2`, '2']]);
  });
});
