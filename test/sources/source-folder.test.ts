import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceFolder } from '../../src/sources/source-folder.ts';
import { pageFileName } from '../../src/sources/web-sync.ts';

describe('SourceFolder: a source never writes outside its own folder', () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-folder-'));
  const folder = new SourceFolder(path.join(base, 'source'));

  it('refuses paths that leave it or hide in it', () => {
    for (const bad of ['../outside.md', 'a/../../outside.md', '/etc/passwd', 'a//b.md', '.git/config', 'docs/.env', '', 'a\\..\\..\\x.md']) {
      expect(() => folder.write(bad, 'x'), bad).toThrow(/not a path inside the source's folder/);
    }
    expect(fs.existsSync(path.join(base, 'outside.md'))).toBe(false);
  });

  it('refuses to write through a symbolic link planted in it', () => {
    folder.write('docs/page.md', 'ok');
    fs.mkdirSync(path.join(base, 'elsewhere'));
    fs.symlinkSync(path.join(base, 'elsewhere'), path.join(base, 'source', 'linked'));
    expect(() => folder.write('linked/page.md', 'x')).toThrow(/symbolic link/);
    expect(fs.readdirSync(path.join(base, 'elsewhere'))).toEqual([]);
    expect(fs.readFileSync(path.join(base, 'source', 'docs', 'page.md'), 'utf8')).toBe('ok');
  });

  it('names web pages with flat, safe file names', () => {
    const taken = new Set<string>();
    for (const url of ['https://x.example/docs/../../etc/passwd', 'https://x.example/%2e%2e/%2fetc', 'https://x.example/', 'https://x.example/a/b.html?c=d']) {
      const name = pageFileName(url, taken);
      expect(name).toMatch(/^[\p{L}\p{N}_-]+-[0-9a-f]{8}\.html$/u);
      expect(() => folder.resolve(name)).not.toThrow();
    }
  });
});
