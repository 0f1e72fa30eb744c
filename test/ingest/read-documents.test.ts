import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readDocuments } from '../../src/ingest/read-documents.ts';

let root: string;
let outside: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-docs-'));
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-outside-'));
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

function write(relative: string, content: string | Buffer): void {
  const file = path.join(root, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

/** Symbolic links need a privilege on some systems; such tests are skipped there. */
function trySymlink(target: string, relative: string): boolean {
  try {
    fs.symlinkSync(target, path.join(root, relative));
    return true;
  } catch {
    return false;
  }
}

describe('readDocuments', () => {
  it('reads every supported extension in any case, recursively, sorted, with / paths', async () => {
    write('b.md', '# B');
    write('a.TXT', 'plain');
    write('guides/deep/c.Markdown', 'deep');
    write('guides/d.htm', '<p>d</p>');
    write('guides/e.HTML', '<p>e</p>');
    write('notes.pdf', 'not a document');
    write('image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00]));
    write('README', 'no extension');

    const { documents, skipped } = await readDocuments(root, { maxBytes: 1000 });

    expect(documents.map((d) => d.path)).toEqual([
      'a.TXT',
      'b.md',
      'guides/d.htm',
      'guides/deep/c.Markdown',
      'guides/e.HTML',
    ]);
    expect(documents[0]?.content).toBe('plain');
    expect(skipped).toEqual([]);
  });

  it('strips a UTF-8 BOM and keeps CRLF line ends as found', async () => {
    write('bom.md', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('# Title\r\n\r\n中文 🎉\r\n')]));
    const { documents } = await readDocuments(root, { maxBytes: 1000 });
    expect(documents).toEqual([{ path: 'bom.md', content: '# Title\r\n\r\n中文 🎉\r\n' }]);
  });

  it('skips unusable files with a one-line reason, never throwing', async () => {
    write('good.md', 'fine');
    write('big.txt', 'x'.repeat(2048));
    write('empty.txt', '');
    write('blank.md', ' \n\t\r\n');
    write('binary.txt', Buffer.from([0x68, 0x69, 0x00, 0x01]));
    write('latin1.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9])); // "café" in Latin-1
    write('.hidden.md', 'hidden');
    write('.git/config.md', 'hidden folder');
    write('.DS_Store', 'ignored');

    const { documents, skipped } = await readDocuments(root, { maxBytes: 1024 });

    expect(documents.map((d) => d.path)).toEqual(['good.md']);
    const reasons = Object.fromEntries(skipped.map((s) => [s.path, s.reason]));
    expect(Object.keys(reasons).sort()).toEqual(
      ['.git', '.hidden.md', 'big.txt', 'binary.txt', 'blank.md', 'empty.txt', 'latin1.txt'].sort(),
    );
    expect(reasons['big.txt']).toContain('2,048 bytes');
    expect(reasons['big.txt']).toContain('1,024-byte limit');
    expect(reasons['empty.txt']).toMatch(/empty/);
    expect(reasons['blank.md']).toMatch(/whitespace/);
    expect(reasons['binary.txt']).toMatch(/binary/);
    expect(reasons['latin1.txt']).toMatch(/UTF-8/);
    expect(reasons['.hidden.md']).toMatch(/hidden/);
    expect(reasons['.git']).toMatch(/hidden folder/);
    for (const reason of Object.values(reasons)) expect(reason).not.toContain('\n');
  });

  it('gives an empty result for a missing root', async () => {
    await expect(readDocuments(path.join(root, 'missing'), { maxBytes: 1000 })).resolves.toEqual({
      documents: [],
      skipped: [],
    });
  });

  it('follows symbolic links inside the root but not those leading out of it', async (context) => {
    write('real/inside.md', 'inside');
    fs.writeFileSync(path.join(outside, 'secret.md'), 'outside');
    const linked =
      trySymlink(path.join(outside, 'secret.md'), 'secret.md') &&
      trySymlink(outside, 'outside-folder') &&
      trySymlink(path.join(root, 'real', 'inside.md'), 'alias.md') &&
      trySymlink(root, 'real/loop');
    if (!linked) return context.skip();

    const { documents, skipped } = await readDocuments(root, { maxBytes: 1000 });

    expect(documents.map((d) => [d.path, d.content])).toEqual([
      ['alias.md', 'inside'],
      ['real/inside.md', 'inside'],
    ]);
    expect(skipped.map((s) => s.path)).toEqual(['outside-folder', 'real/loop', 'secret.md']);
    expect(skipped.find((s) => s.path === 'secret.md')?.reason).toMatch(/outside the documents folder/);
  });

  it('reports a file it may not read', async (context) => {
    if (process.getuid?.() === 0 || process.platform === 'win32') return context.skip();
    write('locked.md', 'secret');
    fs.chmodSync(path.join(root, 'locked.md'), 0o000);

    const { skipped } = await readDocuments(root, { maxBytes: 1000 });

    expect(skipped).toEqual([{ path: 'locked.md', reason: 'file could not be read (EACCES)' }]);
  });
});
