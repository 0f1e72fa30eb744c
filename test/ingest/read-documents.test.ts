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
  it('reads every supported extension in any case, recursively, sorted, with / paths; PDF as bytes', async () => {
    write('b.md', '# B');
    write('a.TXT', 'plain');
    write('guides/deep/c.Markdown', 'deep');
    write('guides/d.htm', '<p>d</p>');
    write('guides/e.HTML', '<p>e</p>');
    write('notes.xlsx', 'not a document');
    write('manual.PDF', Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff]));
    write('image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00]));
    write('README', 'no extension');

    const { documents, skipped } = await readDocuments(root, { maxBytes: 1000 });

    expect(documents.map((d) => d.path)).toEqual([
      'a.TXT',
      'b.md',
      'guides/d.htm',
      'guides/deep/c.Markdown',
      'guides/e.HTML',
      'manual.PDF',
    ]);
    expect(documents[0]?.content).toBe('plain');
    // A PDF (or Word file) is kept as bytes, NULs and all, for the splitting process to parse.
    expect(documents.at(-1)).toEqual({ path: 'manual.PDF', content: '', bytes: Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff]) });
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

    expect(documents.map((d) => [d.path, d.content])).toEqual([['real/inside.md', 'inside']]);
    expect(skipped.map((s) => s.path)).toEqual(['alias.md', 'outside-folder', 'real/loop', 'secret.md']);
    expect(skipped.find((s) => s.path === 'secret.md')?.reason).toMatch(/outside the documents folder/);
    expect(skipped.find((s) => s.path === 'alias.md')?.reason).toBe('same file as real/inside.md, indexed once');
  });

  it('reads each real file once when sibling folders link to each other (issue 15.7)', async (context) => {
    // Six folders, each linking to the five others: once 1,959 documents from 6 files; eight never finished.
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (const name of names) write(`${name}/${name}.md`, `# ${name}`);
    const linked = names.every((name) =>
      names.filter((other) => other !== name).every((other) => trySymlink(path.join(root, other), `${name}/to-${other}`)),
    );
    if (!linked) return context.skip();

    const { documents, skipped } = await readDocuments(root, { maxBytes: 1000 });

    expect(documents.map((d) => d.path)).toEqual(names.map((name) => `${name}/${name}.md`));
    expect(skipped).toHaveLength(30);
    expect(skipped.find((s) => s.path === 'a/to-b')?.reason).toBe('symbolic link to a folder read already (b), not followed again');
  });

  it('lists a file reached only through links under the first link, in path order', async (context) => {
    write('.drafts/plan.md', 'plan');
    const linked = trySymlink(path.join(root, '.drafts', 'plan.md'), 'z-plan.md') && trySymlink(path.join(root, '.drafts'), 'drafts');
    if (!linked) return context.skip();

    const { documents, skipped } = await readDocuments(root, { maxBytes: 1000 });

    expect(documents.map((d) => d.path)).toEqual(['drafts/plan.md']);
    expect(skipped.map((s) => [s.path, s.reason])).toEqual([
      ['.drafts', 'hidden folder, not read'],
      ['z-plan.md', 'same file as drafts/plan.md, indexed once'],
    ]);
  });

  it('decodes UTF-16 LE and BE files that start with a byte-order mark (issue 15.8)', async () => {
    const text = '# Café 中文 🎉\r\n\r\nUTF-16 text.';
    const utf16be = Buffer.from(text, 'utf16le').swap16();
    write('le.md', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    write('be.md', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be]));

    const { documents, skipped } = await readDocuments(root, { maxBytes: 1000 });

    expect(skipped).toEqual([]);
    expect(documents).toEqual([
      { path: 'be.md', content: text },
      { path: 'le.md', content: text },
    ]);
  });

  it('gives the true reason a text file is skipped: UTF-16 without a BOM, broken UTF-16, NUL characters', async () => {
    write('no-bom.txt', Buffer.from('plain ASCII saved as UTF-16', 'utf16le'));
    write('odd.txt', Buffer.from([0xff, 0xfe, 0x41, 0x00, 0x42])); // an odd number of bytes after the BOM
    write('nul.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a\u0000b', 'utf16le')]));
    write('binary.txt', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x1a, 0x0a]));

    const { skipped } = await readDocuments(root, { maxBytes: 1000 });

    expect(Object.fromEntries(skipped.map((s) => [s.path, s.reason]))).toEqual({
      'binary.txt': 'binary file (contains NUL bytes), not text',
      'no-bom.txt': 'UTF-16 text without a byte-order mark; save it as UTF-8 (or UTF-16 with a BOM)',
      'nul.txt': 'binary file (contains NUL characters), not text',
      'odd.txt': 'not valid UTF-16 LE text despite its byte-order mark',
    });
  });

  it('reports a file it may not read', async (context) => {
    if (process.getuid?.() === 0 || process.platform === 'win32') return context.skip();
    write('locked.md', 'secret');
    fs.chmodSync(path.join(root, 'locked.md'), 0o000);

    const { skipped } = await readDocuments(root, { maxBytes: 1000 });

    expect(skipped).toEqual([{ path: 'locked.md', reason: 'file could not be read (EACCES)' }]);
  });
});
