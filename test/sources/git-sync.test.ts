import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../src/config.ts';
import { gitOriginOf } from '../../src/sources/git-sync.ts';
import { gitWebBaseUrl } from '../../src/sources/source-record.ts';
import { Sources } from '../../src/sources/sources.ts';
import { LocalGitServer, LocalRepository } from '../support/local-git.ts';

const config: SourceConfig = { allowPrivate: true, maxPages: 50, maxDepth: 3, maxPageBytes: 64 * 1024, maxRepositoryBytes: 1024 ** 3, timeoutMs: 30_000, requestIntervalMs: 0 };
let server: LocalGitServer;
let repository: LocalRepository;
let cloneUrl: string;

beforeAll(async () => {
  server = await LocalGitServer.start();
  repository = new LocalRepository();
  repository.commit({
    'README.md': '# Readme\n\nOutside the docs folder.',
    'docs/guide.md': '# Guide\n\nThe widget guide says to restart the service after each change.',
    'docs/setup/install.md': '# Install\n\nRun the installer as an administrator.',
    'docs/notes.txt': 'Plain text notes about the widget.',
    'docs/logo.png': 'not a document',
    'docs/escape.md': { link: '../../../../etc/passwd' },
    'docs/inside-link.md': { link: 'guide.md' },
  });
  cloneUrl = server.serve('wiki', repository);
});

afterAll(async () => {
  await server.close();
  repository.remove();
});

function tree(folder: string, prefix = ''): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const relative = `${prefix}${entry.name}`;
    if (entry.isSymbolicLink()) return [`${relative} (link)`];
    return entry.isDirectory() ? tree(path.join(folder, entry.name), `${relative}/`) : [relative];
  }).sort();
}

describe('a git repository source', () => {
  it('shallow-clones the folder, copies its documents only (never a symbolic link), and re-syncs incrementally', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-git-source-'));
    const sources = new Sources(dataDir, config);
    const record = sources.prepare(`${cloneUrl}/docs/`, '');
    expect(record).toMatchObject({ kind: 'git', git: { cloneUrl, folder: 'docs', branch: '' } });
    const report = await sources.add(record);
    const folder = path.join(dataDir, 'sources', record.id);
    expect(tree(folder)).toEqual(['guide.md', 'notes.txt', 'setup/install.md']);
    expect(fs.readFileSync(path.join(folder, 'guide.md'), 'utf8')).toContain('restart the service');
    expect(report.skipped).toEqual(expect.arrayContaining([{ url: 'escape.md', reason: 'a symbolic link (not followed)' }, { url: 'inside-link.md', reason: 'a symbolic link (not followed)' }]));
    const [info] = sources.list();
    expect(info).toMatchObject({ pageCount: 3, lastError: null, baseUrl: `${cloneUrl.replace(/\.git$/, '')}/docs/` });
    const registry = JSON.parse(fs.readFileSync(path.join(dataDir, 'sources.json'), 'utf8'));
    expect(registry.sources[0].git).toMatchObject({ branch: 'main', commit: repository.git('rev-parse', 'HEAD').trim() });

    const requestsBefore = server.requests;
    const [unchanged] = await sources.sync(sources.select({}));
    expect(unchanged!.counts).toMatchObject({ changed: 0, unchanged: 3, notModified: 3 });
    expect(server.requests - requestsBefore).toBeLessThanOrEqual(2); // ls-remote only, no clone

    repository.commit({ 'docs/guide.md': '# Guide\n\nRestart the widget service twice.', 'docs/setup/install.md': null, 'docs/new.md': '# New\n\nA new page.' });
    const [changed] = await sources.sync(sources.select({}));
    expect(changed!.counts).toMatchObject({ changed: 2, unchanged: 1, removed: 1 });
    expect(tree(folder)).toEqual(['guide.md', 'new.md', 'notes.txt']);
    expect(fs.readFileSync(path.join(folder, 'guide.md'), 'utf8')).toContain('twice');
  }, 120_000);

  it('refuses a private address unless allowed (by literal and by a name resolving to it), and schemes other than http(s)', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-git-source-'));
    const strict = new Sources(dataDir, { ...config, allowPrivate: false });
    expect(() => strict.prepare(cloneUrl, '')).toThrow(/127\.0\.0\.1 is a loopback address/);
    const byName = cloneUrl.replace('127.0.0.1', 'localhost');
    const requestsBefore = server.requests;
    // The name is not an address literal: it passes the URL check and is refused when resolved, before git runs.
    const record = strict.prepare(byName, '');
    await expect(strict.add(record)).rejects.toThrow(/localhost resolves to .*loopback/);
    expect(server.requests).toBe(requestsBefore);
    for (const url of ['git://127.0.0.1/wiki.git', 'ssh://git@127.0.0.1/wiki.git', `file://${repository.folder}`]) {
      expect(() => strict.prepare(url, '')).toThrow(/only http and https/);
    }
  });

  it('a repository that is not there is refused with git\'s reason, and nothing is kept', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-git-source-'));
    const sources = new Sources(dataDir, config);
    await expect(sources.add(sources.prepare(cloneUrl.replace('wiki', 'nothing'), ''))).rejects.toThrow(/Nothing could be read from .*nothing\.git: git could not read the repository/);
    await expect(sources.add(sources.prepare(`${cloneUrl}/no-such-folder/`, ''))).rejects.toThrow(/has no folder "no-such-folder"/);
    expect(sources.list()).toEqual([]);
  }, 60_000);
});

describe('the size of a repository (SOURCE_MAX_REPOSITORY_BYTES)', () => {
  const limited: SourceConfig = { ...config, maxRepositoryBytes: 1024 * 1024 };
  /** Base64 of random bytes: text git cannot compress much below its length. */
  const incompressible = (bytes: number): string => crypto.randomBytes(Math.ceil((bytes * 3) / 4)).toString('base64');

  async function syncedSmallRepository(name: string, allowFilter: boolean) {
    const repo = new LocalRepository();
    if (allowFilter) repo.git('config', 'uploadpack.allowFilter', 'true');
    repo.commit({ 'docs/guide.md': '# Guide\n\nRestart the widget service after each change.' });
    const url = server.serve(name, repo);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-git-source-'));
    const sources = new Sources(dataDir, limited);
    const record = sources.prepare(`${url}/docs/`, '');
    await sources.add(record);
    return { repo, sources, folder: path.join(dataDir, 'sources', record.id) };
  }

  it('stops a clone that passes the limit, names the limit in one line, and keeps the last synced copy whole', async () => {
    const { repo, sources, folder } = await syncedSmallRepository('huge', false);
    const before = sources.list()[0]!;
    repo.commit({ 'assets/video.bin': incompressible(3 * 1024 * 1024), 'docs/guide.md': '# Guide\n\nA newer guide.', 'docs/new.md': '# New\n\nA new page.' });
    const [report] = await sources.sync(sources.select({}));
    expect(report!.lastError).toMatch(/^\S+huge\.git\/docs\/ is larger than SOURCE_MAX_REPOSITORY_BYTES \(1\.0 MB\): the sync stopped and nothing was changed$/);
    expect(tree(folder)).toEqual(['guide.md']);
    expect(fs.readFileSync(path.join(folder, 'guide.md'), 'utf8')).toContain('Restart the widget service');
    expect(sources.list()[0]).toMatchObject({ pageCount: before.pageCount, lastError: report!.lastError });
    repo.remove();
  }, 120_000);

  it('with a server that filters blobs, large files are never fetched: the same repository syncs within the limit', async () => {
    const { repo, sources, folder } = await syncedSmallRepository('filtered', true);
    repo.commit({ 'assets/video.bin': incompressible(3 * 1024 * 1024), 'docs/huge.md': incompressible(2 * 1024 * 1024), 'docs/new.md': '# New\n\nA new page.' });
    const sentBefore = server.bytesSent;
    const [report] = await sources.sync(sources.select({}));
    expect(server.bytesSent - sentBefore).toBeLessThan(1024 * 1024);
    expect(report!.lastError).toBeNull();
    expect(report!.skipped).toEqual([{ url: 'huge.md', reason: `larger than ${64 * 1024} bytes` }]);
    expect(tree(folder)).toEqual(['guide.md', 'new.md']);
    repo.remove();
  }, 120_000);

  it('counts the documents copied out, not only what was fetched: many small files over the limit change nothing', async () => {
    const { repo, sources, folder } = await syncedSmallRepository('many', true);
    const files: Record<string, string> = {};
    // 20 files of 60 KB each are within SOURCE_MAX_PAGE_BYTES and compress to almost nothing, but 1.2 MB together.
    for (let i = 0; i < 20; i++) files[`docs/page-${i}.md`] = `# Page ${i}\n\n${'The widget turns. '.repeat(60_000 / 18)}`;
    repo.commit(files);
    const [report] = await sources.sync(sources.select({}));
    expect(report!.lastError).toMatch(/is larger than SOURCE_MAX_REPOSITORY_BYTES \(1\.0 MB\)/);
    expect(tree(folder)).toEqual(['guide.md']);
    repo.remove();
  }, 120_000);
});

describe('repository URLs', () => {
  it('reads GitHub, GitLab and .git URLs with an optional branch and folder, and gives the web base URL of the files', () => {
    const github = gitOriginOf(new URL('https://github.com/discordjs/guide/tree/main/guide/popular-topics'))!;
    expect(github).toEqual({ cloneUrl: 'https://github.com/discordjs/guide.git', branch: 'main', folder: 'guide/popular-topics' });
    expect(gitWebBaseUrl(github)).toBe('https://github.com/discordjs/guide/blob/main/guide/popular-topics/');
    expect(gitOriginOf(new URL('https://github.com/org/repo'))).toEqual({ cloneUrl: 'https://github.com/org/repo.git', branch: '', folder: '' });
    const gitlab = gitOriginOf(new URL('https://gitlab.com/org/repo/-/tree/dev/docs'))!;
    expect(gitlab).toEqual({ cloneUrl: 'https://gitlab.com/org/repo.git', branch: 'dev', folder: 'docs' });
    expect(gitWebBaseUrl(gitlab)).toBe('https://gitlab.com/org/repo/-/blob/dev/docs/');
    expect(gitOriginOf(new URL('https://git.example.com/team/wiki.git/docs/'))).toEqual({ cloneUrl: 'https://git.example.com/team/wiki.git', branch: '', folder: 'docs' });
    expect(gitOriginOf(new URL('https://github.com/org'))).toBeNull();
    expect(gitOriginOf(new URL('https://docs.example.com/guide/'))).toBeNull();
  });
});
