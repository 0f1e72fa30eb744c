import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { safeDocumentName } from '../../src/engine/safe-file-name.ts';
import { isAppError } from '../../src/errors.ts';
import { makeDataDir, openEngine, tinyEngineConfig } from '../support/engine-fixture.ts';

const SHARED = { 'ferry.md': '# Ferry\n\nThe ferry to the island leaves the harbour every hour, from six in the morning until ten at night.' };
const RULES = new TextEncoder().encode('# Server rules\n\nVoice channels close at midnight; the moderators reopen them at eight every morning.');

async function engineWithServers() {
  const dataDir = makeDataDir(SHARED);
  const engine = await openEngine(tinyEngineConfig(dataDir, { SEARCH_MODE: 'keyword' }));
  await engine.reindex();
  return { dataDir, engine };
}

describe('documents added by a server', () => {
  it('are stored under a safe name in that server\'s folder and searched only there', async () => {
    const { dataDir, engine } = await engineWithServers();
    const { path: stored, report } = await engine.addDocument('1001', '../../rules.md', RULES);
    expect(stored).toBe('rules.md');
    expect(report.added).toBe(1);
    expect(fs.existsSync(path.join(dataDir, 'servers', '1001', 'docs', 'rules.md'))).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'rules.md'))).toBe(false);

    const question = 'When do voice channels close?';
    expect((await engine.ask(question, { server: '1001' })).passages[0]!.document).toBe('rules.md');
    expect((await engine.ask(question, { server: '2002' })).passages.map((p) => p.document)).not.toContain('rules.md');
    expect((await engine.ask(question)).passages.map((p) => p.document)).not.toContain('rules.md');
    // Shared documents are searched from every server.
    expect((await engine.ask('ferry island harbour', { server: '2002' })).passages[0]!.document).toBe('ferry.md');

    expect(engine.listDocuments('1001').map((d) => [d.scope, d.path])).toEqual([['', 'ferry.md'], ['1001', 'rules.md']]);
    expect(engine.listDocuments('2002').map((d) => d.path)).toEqual(['ferry.md']);
  });

  it('can only be removed by their own server; shared documents cannot be removed from Discord', async () => {
    const { dataDir, engine } = await engineWithServers();
    await engine.addDocument('1001', 'rules.md', RULES);
    for (const [server, name] of [['2002', 'rules.md'], ['1001', 'ferry.md'], ['1001', '../../docs/ferry.md'], ['1001', '../2002/docs/x.md']] as const) {
      const error = await engine.removeDocument(server, name).catch((caught: unknown) => caught);
      expect(isAppError(error, 'DOCUMENT_NOT_FOUND'), `${server} ${name}`).toBe(true);
    }
    expect(fs.existsSync(path.join(dataDir, 'docs', 'ferry.md'))).toBe(true);
    const report = await engine.removeDocument('1001', 'rules.md');
    expect(report.removed).toBe(1);
    expect(engine.listDocuments('1001').map((d) => d.path)).toEqual(['ferry.md']);
  });

  it('refuses a document that cannot be indexed and does not keep it', async () => {
    const { dataDir, engine } = await engineWithServers();
    const error = await engine.addDocument('1001', 'blob.txt', new Uint8Array([0, 1, 2, 0, 255])).catch((caught: unknown) => caught);
    expect(isAppError(error, 'DOCUMENT_REJECTED')).toBe(true);
    expect((error as Error).message).toMatch(/^"blob\.txt" was not added: /);
    expect(fs.existsSync(path.join(dataDir, 'servers', '1001', 'docs', 'blob.txt'))).toBe(false);
  });

  it('refuses an upload with no text to index (HTML that is all scripts) and does not keep it', async () => {
    const { dataDir, engine } = await engineWithServers();
    const scripts = new TextEncoder().encode(`<html><body>${'<script>document.write("x")</script>'.repeat(5)}<style>p{}</style></body></html>`);
    const error = await engine.addDocument('1001', 'scripts.html', scripts).catch((caught: unknown) => caught);
    expect(isAppError(error, 'DOCUMENT_REJECTED')).toBe(true);
    expect((error as Error).message).toBe('"scripts.html" was not added: it has no text to index');
    expect(fs.existsSync(path.join(dataDir, 'servers', '1001', 'docs', 'scripts.html'))).toBe(false);
    expect(engine.listDocuments('1001').map((d) => d.path)).toEqual(['ferry.md']);
  });

  it('a refused new version of a document keeps the previous version, on disk and answerable', async () => {
    const { dataDir, engine } = await engineWithServers();
    await engine.addDocument('1001', 'rules.html', RULES);
    const scripts = new TextEncoder().encode('<html><body><script>document.write("x")</script></body></html>');
    const error = await engine.addDocument('1001', 'rules.html', scripts).catch((caught: unknown) => caught);
    expect(isAppError(error, 'DOCUMENT_REJECTED')).toBe(true);
    expect((error as Error).message).toBe('"rules.html" was not added: it has no text to index; the previous version is kept');
    expect(fs.readFileSync(path.join(dataDir, 'servers', '1001', 'docs', 'rules.html'))).toEqual(Buffer.from(RULES));
    expect((await engine.ask('When do voice channels close?', { server: '1001' })).passages[0]?.document).toBe('rules.html');
  });

  it('a failed reindex takes the upload or the removal back, so the folder still matches the index', async () => {
    const dataDir = makeDataDir(SHARED);
    let failWrites = false;
    const engine = await openEngine(tinyEngineConfig(dataDir, { SEARCH_MODE: 'keyword' }), {
      checkpoint: (point) => {
        if (failWrites && point === 'before-manifest') throw new Error('disk full');
      },
    });
    await engine.reindex();
    const file = path.join(dataDir, 'servers', '1001', 'docs', 'rules.md');
    failWrites = true;
    await expect(engine.addDocument('1001', 'rules.md', RULES)).rejects.toSatisfy((error) => isAppError(error, 'INDEX_WRITE_FAILED'));
    expect(fs.existsSync(file)).toBe(false);
    failWrites = false;
    await engine.addDocument('1001', 'rules.md', RULES);
    failWrites = true;
    await expect(engine.removeDocument('1001', 'rules.md')).rejects.toSatisfy((error) => isAppError(error, 'INDEX_WRITE_FAILED'));
    expect(fs.readFileSync(file)).toEqual(Buffer.from(RULES));
    expect(engine.listDocuments('1001').map((d) => d.path)).toEqual(['ferry.md', 'rules.md']);
  });

  it('removes a listed document whose file is already gone, rather than saying it is not there', async () => {
    const { dataDir, engine } = await engineWithServers();
    await engine.addDocument('1001', 'rules.md', RULES);
    fs.rmSync(path.join(dataDir, 'servers', '1001', 'docs', 'rules.md'));
    expect((await engine.removeDocument('1001', 'rules.md')).removed).toBe(1);
    expect(engine.listDocuments('1001').map((d) => d.path)).toEqual(['ferry.md']);
  });

  it('rejects a server id that is not a snowflake, so it can never name a path', async () => {
    const { engine } = await engineWithServers();
    await expect(engine.addDocument('../..', 'x.md', RULES)).rejects.toThrow(/invalid server id/);
  });
});

describe('safeDocumentName', () => {
  it.each([
    ['../../x.md', 'x.md'],
    ['..\\..\\windows\\evil.txt', 'evil.txt'],
    ['.hidden.md', 'hidden.md'],
    ['My Notes (final)!.MD', 'My-Notes-final.md'],
    ['説明書.html', '説明書.html'],
  ])('%s → %s', (uploaded, safe) => {
    expect(safeDocumentName(uploaded)).toBe(safe);
  });

  it.each(['setup.exe', 'archive.md.zip', 'noextension', '.md', '...txt'])('refuses %s', (uploaded) => {
    expect(() => safeDocumentName(uploaded)).toThrow(/not a supported document|no usable file name/);
  });
});
