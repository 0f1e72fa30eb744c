import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDataDir, tinyModelEnv } from '../support/engine-fixture.ts';
import { docsPage, LocalSite } from '../support/local-site.ts';

let site: LocalSite;

beforeAll(async () => {
  site = await LocalSite.start();
  site.page('/docs/', docsPage('Widget guide', ['Start here.'], ['/docs/ports']));
  site.page('/docs/ports', docsPage('Ports', ['The widget listens on port 8080 unless the configuration file names another port.']));
});

afterAll(() => site.close());

/** The real `docqa` binary, run asynchronously so the local site in this process can answer it. */
function docqa(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['src/bin.mjs', ...args], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('docqa source commands', () => {
  it('add-source, sources, sync, ask and remove-source', async () => {
    const env = tinyModelEnv(makeDataDir(), { SEARCH_MODE: 'keyword', ALLOW_PRIVATE_SOURCES: 'true', SOURCE_REQUEST_INTERVAL_MS: '0', LOG_LEVEL: 'warn' });
    const added = await docqa(['add-source', site.url('/docs/')], env);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^Added source 127-0-0-1-docs \(site, shared\): http:\/\/127\.0\.0\.1:\d+\/docs\/\n {2}2 pages: 2 new or changed, 0 unchanged, 0 removed, 0 failed\nIndexed 2 documents/);

    const listed = await docqa(['sources'], env);
    expect(listed.stdout).toMatch(/^127-0-0-1-docs {2}site {2}shared {2}http:\/\/127\.0\.0\.1:\d+\/docs\/\n {2}2 pages, last sync 20\d\d-/);

    const synced = await docqa(['sync'], env);
    expect(synced.code).toBe(0);
    expect(synced.stdout).toMatch(/127-0-0-1-docs: 2 pages: 0 new or changed, 2 unchanged \(2 not modified\)/);
    expect(synced.stdout).toMatch(/0 paragraphs embedded/);

    const asked = await docqa(['ask', '--json', 'Which port does the widget listen on?'], env);
    expect(JSON.parse(asked.stdout).passages[0]).toMatchObject({ title: 'Ports', document: expect.stringMatching(/^sources\/127-0-0-1-docs\//) });

    const unknown = await docqa(['sync', '--source', 'nope'], env);
    expect(unknown).toMatchObject({ code: 1, stderr: 'Error: There is no source "nope" here. List them with /sources or docqa sources.\n' });

    const removed = await docqa(['remove-source', '127-0-0-1-docs'], env);
    expect(removed.stdout).toMatch(/^Removed source 127-0-0-1-docs\.\nIndexed 0 documents.*2 removed/);
    expect((await docqa(['sources', '--json'], env)).stdout).toBe('[]\n');
  }, 180_000);

  it('refuses a private address by default, and a bad scheme, with one line', async () => {
    const env = tinyModelEnv(makeDataDir(), { SEARCH_MODE: 'keyword' });
    const requestsBefore = site.counter('/docs/').requests;
    const refused = await docqa(['add-source', site.url('/docs/')], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^Error: http:\/\/127\.0\.0\.1:\d+\/docs\/ cannot be used as a source: 127\.0\.0\.1 is a loopback address, and sources may not reach the host's own network \(ALLOW_PRIVATE_SOURCES=true allows it\)\.\n$/);
    const scheme = await docqa(['add-source', 'file:///etc/passwd'], env);
    expect(scheme.stderr).toBe('Error: file:///etc/passwd cannot be used as a source: only http and https URLs can be sources, not file.\n');
    expect(site.counter('/docs/').requests).toBe(requestsBefore);
  }, 60_000);
});
