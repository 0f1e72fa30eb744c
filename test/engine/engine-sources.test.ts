import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.ts';
import { makeDataDir, openEngine, tinyEngineConfig } from '../support/engine-fixture.ts';
import { LocalGitServer, LocalRepository } from '../support/local-git.ts';
import { docsPage, LocalSite } from '../support/local-site.ts';

let site: LocalSite;
let engine: Engine | undefined;

beforeEach(async () => {
  site = await LocalSite.start();
  site.page('/docs/', docsPage('Widget guide', ['Start here.'], ['/docs/install', '/docs/ports']));
  site.page('/docs/install', docsPage('Installing', ['Run the installer with administrator rights, then follow the prompts until the widget service starts.']));
  site.page('/docs/ports', docsPage('Ports', ['The widget listens on port 8080 unless the configuration file names another port.']));
});

afterEach(async () => {
  await engine?.close();
  engine = undefined;
  await site.close();
});

async function open(dataDir: string, extra: Record<string, string> = {}) {
  engine = await openEngine(tinyEngineConfig(dataDir, { ALLOW_PRIVATE_SOURCES: 'true', SOURCE_REQUEST_INTERVAL_MS: '0', INDEX_WATCH_MS: '0', ...extra }));
  return engine;
}

describe('sources in the engine', () => {
  it('answers although the sources registry is corrupt (its links are left out)', async () => {
    const dataDir = makeDataDir({ 'ports.md': '# Ports\n\nThe widget listens on port 8080 unless the configuration file names another port.' });
    fs.writeFileSync(path.join(dataDir, 'sources.json'), '{ not json');
    const engine = await open(dataDir);
    await engine.ensureIndex();
    const answer = await engine.ask('Which port does the widget listen on?');
    expect(answer.passages[0]!.text).toContain('port 8080');
  });

  it('links a git source\'s passages to the file and section where its repository shows them', async () => {
    const server = await LocalGitServer.start();
    const repository = new LocalRepository();
    try {
      repository.commit({ 'docs/setup/ports.md': '# Setup\n\n## Ports and firewalls\n\nThe widget listens on port 8080 unless the configuration file names another port.' });
      const cloneUrl = server.serve('wiki', repository);
      const engine = await open(makeDataDir());
      const { source } = await engine.addSource('', `${cloneUrl}/docs/`);
      const [passage] = (await engine.ask('Which port does the widget listen on?')).passages;
      expect(passage!.document).toBe(`sources/${source.id}/setup/ports.md`);
      expect(passage!.url).toBe(`${source.baseUrl}setup/ports.md#ports-and-firewalls`);
      expect(source.baseUrl).toBe(`${cloneUrl.replace(/\.git$/, '')}/docs/`);
    } finally {
      await server.close();
      repository.remove();
    }
  }, 120_000);


  it('a shared site source is answered from, re-synced incrementally, and removed with its paragraphs', async () => {
    const engine = await open(makeDataDir());
    const progress: string[] = [];
    const { source, sync, report } = await engine.addSource('', site.url('/docs/'), undefined, (update) => progress.push(update.phase));
    expect(source).toMatchObject({ kind: 'site', server: '', pageCount: 3, lastError: null });
    expect(sync.counts.changed).toBe(3);
    expect(report.added).toBe(3);
    expect(progress).toContain('fetching');
    expect(progress.at(-1)).toBe('done');

    const answer = await engine.ask('Which port does the widget listen on?');
    expect(answer.passages[0]).toMatchObject({ title: 'Ports', document: expect.stringMatching(new RegExp(`^sources/${source.id}/docs-ports-[0-9a-f]{8}\\.html$`)) });
    expect(answer.passages[0]!.text).toContain('port 8080');

    const unchanged = await engine.syncSources();
    expect(unchanged.sources[0]!.counts).toMatchObject({ changed: 0, notModified: 3 });
    expect(unchanged.report).toMatchObject({ embedded: 0, unchanged: 3 });

    site.page('/docs/ports', docsPage('Ports', ['The widget listens on port 9090 since version two.']));
    const changed = await engine.syncSources({ id: source.id });
    expect(changed.report).toMatchObject({ changed: 1, unchanged: 2 });
    expect(changed.report.embedded).toBeGreaterThan(0);
    expect((await engine.ask('Which port does the widget listen on?')).passages[0]!.text).toContain('9090');

    const removed = await engine.removeSource(source.id);
    expect(removed.removed).toBe(3);
    expect(engine.listSources()).toEqual([]);
    expect((await engine.ask('Which port does the widget listen on?')).answered).toBe(false);
  });

  it("a server's source belongs to that server's knowledge base only", async () => {
    const engine = await open(makeDataDir(), { SEARCH_MODE: 'keyword' });
    const { source } = await engine.addSource('555', site.url('/docs/ports'));
    expect(source.kind).toBe('page');
    expect((await engine.ask('Which port does the widget listen on?', { server: '555' })).passages[0]?.text).toContain('8080');
    expect((await engine.ask('Which port does the widget listen on?', { server: '666' })).answered).toBe(false);
    expect(engine.listSources('666')).toEqual([]);
    expect(engine.listSources('555').map((s) => s.id)).toEqual([source.id]);
    await expect(engine.removeSource(source.id, '666')).rejects.toThrow(/There is no source/);
    expect(engine.listDocuments('555').map((d) => d.path)).toEqual([expect.stringMatching(/^sources\//)]);
  });

  it('refuses a private address unless ALLOW_PRIVATE_SOURCES, before fetching anything', async () => {
    const engine = await open(makeDataDir(), { SEARCH_MODE: 'keyword', ALLOW_PRIVATE_SOURCES: 'false' });
    await expect(engine.addSource('', site.url('/docs/'))).rejects.toThrow(/127\.0\.0\.1 is a loopback address.*ALLOW_PRIVATE_SOURCES=true/);
    expect(site.counter('/docs/').requests).toBe(0);
    expect(engine.listSources()).toEqual([]);
  });
});
