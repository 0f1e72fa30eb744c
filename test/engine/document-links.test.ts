import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { DocumentLinks } from '../../src/engine/document-links.ts';
import type { PageRoute, SiteLayout } from '../../src/engine/site-layout.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { makeDataDir, openEngine, tinyEngineConfig, writeDocuments } from '../support/engine-fixture.ts';

const BASE = 'https://github.com/org/repo/blob/main/docs/';

describe('DocumentLinks', () => {
  const links = new DocumentLinks([
    { folder: '/data/docs', baseUrl: 'https://github.com/org/repo/blob/main/docs' },
    { folder: '/data/docs/api', baseUrl: 'https://api.example.com/ref/' },
  ]);

  it('maps a file under a folder to the base URL plus its path, segments percent-encoded', () => {
    expect(links.pageUrl({ file: '/data/docs/guide/setup.md' })).toBe(`${BASE}guide/setup.md`);
    expect(links.pageUrl({ file: '/data/docs/guide/set up #1.md' })).toBe(`${BASE}guide/set%20up%20%231.md`);
  });

  it('uses the deepest folder holding the file, and none for a file outside every folder', () => {
    expect(links.pageUrl({ file: '/data/docs/api/client.html' })).toBe('https://api.example.com/ref/client.html');
    expect(links.pageUrl({ file: '/data/docs-other/a.md' })).toBeUndefined();
    expect(links.pageUrl({ file: '/elsewhere/a.md' })).toBeUndefined();
  });

  it("prefers the document's own URL, and adds the anchor (encoded) unless the URL has a fragment", () => {
    expect(links.passageUrl({ file: '/data/docs/a.md', declaredUrl: 'https://docs.example.com/a', anchor: 'setup-1' })).toBe('https://docs.example.com/a#setup-1');
    expect(links.passageUrl({ file: '/data/docs/a.md', anchor: '安装与配置' })).toBe(`${BASE}a.md#${encodeURIComponent('安装与配置')}`);
    expect(links.passageUrl({ file: '/data/docs/a.md', declaredUrl: 'https://x.example/a#top', anchor: 'b' })).toBe('https://x.example/a#top');
    expect(links.passageUrl({ file: '/elsewhere/a.md', anchor: 'b' })).toBeUndefined();
  });
});

describe('pages of a docs site: front matter slug and permalink (DOCS_SITE)', () => {
  const site = (layout: SiteLayout, baseUrl: string) => new DocumentLinks([{ folder: '/d', baseUrl, layout }]);
  const page = (links: DocumentLinks, file: string, route: PageRoute = {}) => links.pageUrl({ file: `/d/${file}`, ...route });

  it('Docusaurus: the path without extension and number prefixes; a relative slug stays in its folder, an absolute one starts at the docs root', () => {
    const docs = site('docusaurus', 'https://docs.example.com/docs/');
    expect(page(docs, 'guide/setup.md')).toBe('https://docs.example.com/docs/guide/setup');
    expect(page(docs, '01-guide/02-setup.mdx')).toBe('https://docs.example.com/docs/guide/setup');
    expect(page(docs, 'guide/index.md')).toBe('https://docs.example.com/docs/guide/');
    expect(page(docs, 'guide/README.md')).toBe('https://docs.example.com/docs/guide/');
    expect(page(docs, 'guide/setup.md', { slug: 'install' })).toBe('https://docs.example.com/docs/guide/install');
    expect(page(docs, 'guide/setup.md', { slug: '/start/here' })).toBe('https://docs.example.com/docs/start/here');
    expect(page(docs, 'guide/setup.md', { slug: '/' })).toBe('https://docs.example.com/docs/');
    expect(page(docs, 'guide/setup.md', { permalink: '/about/' })).toBe('https://docs.example.com/docs/guide/setup');
  });

  it('Hugo: pretty, lowercased URLs; a slug replaces the last segment, except of a section', () => {
    const hugo = site('hugo', 'https://example.org/');
    expect(page(hugo, 'posts/Post-1.md')).toBe('https://example.org/posts/post-1/');
    expect(page(hugo, 'posts/post-1.md', { slug: 'my-first-post' })).toBe('https://example.org/posts/my-first-post/');
    expect(page(hugo, 'posts/_index.md', { slug: 'ignored' })).toBe('https://example.org/posts/');
    expect(page(hugo, 'posts/bundle/index.md', { slug: 'renamed' })).toBe('https://example.org/posts/renamed/');
  });

  it('Jekyll: .html pages; a permalink is the path from the site root, one with placeholders is left to Jekyll', () => {
    const jekyll = site('jekyll', 'https://example.org/');
    expect(page(jekyll, 'about.md', { slug: 'ignored' })).toBe('https://example.org/about.html');
    expect(page(jekyll, 'team/about.md', { permalink: '/about/' })).toBe('https://example.org/about/');
    expect(page(jekyll, 'docs/index.md')).toBe('https://example.org/docs/');
    expect(page(jekyll, 'news.md', { permalink: '/:categories/:title/' })).toBe('https://example.org/news.html');
  });

  it('a forge shows files at their paths, whatever the front matter says; no slug leads outside the base URL', () => {
    expect(page(site('files', BASE), 'guide/setup.md', { slug: '/elsewhere', permalink: '/about/' })).toBe(`${BASE}guide/setup.md`);
    const docs = site('docusaurus', 'https://docs.example.com/docs/');
    expect(page(docs, 'guide/setup.md', { slug: '../../../admin' })).toBe('https://docs.example.com/docs/guide/admin');
    expect(page(docs, 'guide/setup.md', { slug: '//evil.example/x' })).toBe('https://docs.example.com/docs/evil.example/x');
    expect(page(docs, 'guide/setup.md', { slug: 'a b?#c' })).toBe('https://docs.example.com/docs/guide/a%20b%3F%23c');
    expect(docs.passageUrl({ file: '/d/guide/setup.md', slug: '/start', anchor: 'install' })).toBe('https://docs.example.com/docs/start#install');
  });
});

describe('DOCS_BASE_URL', () => {
  it('fills the folder link of the shared documents folder; a bad value names the variable', () => {
    const config = parseConfig({ DATA_DIR: '/data', DOCS_BASE_URL: 'https://github.com/org/repo/blob/main/docs' }, '/');
    expect(config.engine.folderLinks).toEqual([{ folder: path.resolve('/data/docs'), baseUrl: 'https://github.com/org/repo/blob/main/docs', layout: 'files' }]);
    expect(parseConfig({ DATA_DIR: '/data', DOCS_BASE_URL: 'https://docs.example.com/', DOCS_SITE: 'hugo' }, '/').engine.folderLinks[0]!.layout).toBe('hugo');
    expect(() => parseConfig({ DOCS_SITE: 'gatsby' }, '/')).toThrow(/DOCS_SITE must be one of files, docusaurus, hugo, jekyll/);
    expect(parseConfig({ DATA_DIR: '/data' }, '/').engine.folderLinks).toEqual([]);
    expect(() => parseConfig({ DOCS_BASE_URL: 'docs.example.com/guide' }, '/')).toThrow(/DOCS_BASE_URL/);
    expect(() => parseConfig({ DOCS_BASE_URL: 'javascript:alert(1)' }, '/')).toThrow(/DOCS_BASE_URL/);
  });
});

describe('links in answers and the document list', () => {
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
  });

  it('links each passage to its page and section; documents without a URL have none', async () => {
    const dataDir = makeDataDir({
      'guide/setup.md': '# Setup guide\n\n## Install the bot\n\nInstall the bot with npm ci, then copy the example environment file.\n\n## Install the bot\n\nThe second install section covers the Docker image and its volume mounts.',
      'page.html': '<html><head><link rel="canonical" href="https://example.com/help/tokens"></head><body><h2 id="rotate">Rotate</h2><p>Rotate the bot token from the developer portal whenever it may have leaked.</p></body></html>',
      'notes.md': '---\nurl: https://wiki.example.com/notes\n---\n# Notes\n\nThe parking lot behind the building is free for visitors on weekends.',
    });
    writeDocuments(path.join(dataDir, 'servers', '123', 'docs'), { 'own.txt': 'Our server meets on Tuesdays in the stage channel for the community call.' });
    engine = await openEngine(tinyEngineConfig(dataDir, { SEARCH_MODE: 'keyword', DOCS_BASE_URL: BASE }));
    await engine.reindex();

    const install = await engine.ask('How do I install the bot with npm?', { k: 1 });
    expect(install.passages[0]!.url).toBe(`${BASE}guide/setup.md#install-the-bot`);
    const docker = await engine.ask('Which Docker image volume mounts?', { k: 1 });
    expect(docker.passages[0]!.url).toBe(`${BASE}guide/setup.md#install-the-bot-1`);
    expect((await engine.ask('How do I rotate the bot token?', { k: 1 })).passages[0]!.url).toBe('https://example.com/help/tokens#rotate');
    expect((await engine.ask('Is visitor parking free on weekends?', { k: 1 })).passages[0]!.url).toBe('https://wiki.example.com/notes#notes');
    const own = await engine.ask('When is the community call?', { k: 1, server: '123' });
    expect(own.passages[0]!.document).toBe('own.txt');
    expect(own.passages[0]!.url).toBeUndefined();

    expect(engine.listDocuments('123').map((document) => [document.path, document.url])).toEqual([
      ['guide/setup.md', `${BASE}guide/setup.md`],
      ['notes.md', 'https://wiki.example.com/notes'],
      ['page.html', 'https://example.com/help/tokens'],
      ['own.txt', undefined],
    ]);
  });

  it('on a Docusaurus site, answers and the document list link to the page the front matter slug names', async () => {
    const dataDir = makeDataDir({
      'guide/setup.md': '---\ntitle: Setup guide\nslug: /getting-started\n---\n# Setup guide\n\n## Install the bot\n\nInstall the bot with npm ci, then copy the example environment file.',
      'guide/02-tokens.md': '# Tokens\n\n## Rotate\n\nRotate the bot token from the developer portal whenever it may have leaked.',
    });
    engine = await openEngine(tinyEngineConfig(dataDir, { SEARCH_MODE: 'keyword', DOCS_BASE_URL: 'https://docs.example.com/docs/', DOCS_SITE: 'docusaurus' }));
    await engine.reindex();
    expect((await engine.ask('How do I install the bot with npm?', { k: 1 })).passages[0]!.url).toBe('https://docs.example.com/docs/getting-started#install-the-bot');
    expect((await engine.ask('How do I rotate the bot token?', { k: 1 })).passages[0]!.url).toBe('https://docs.example.com/docs/guide/tokens#rotate');
    expect(engine.listDocuments().map((document) => [document.path, document.url])).toEqual([
      ['guide/02-tokens.md', 'https://docs.example.com/docs/guide/tokens'],
      ['guide/setup.md', 'https://docs.example.com/docs/getting-started'],
    ]);
  });
});
