import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listDocumentSources, readAllSources } from '../../src/engine/document-sources.ts';

let dataDir: string;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'document-sources-'));
});

afterEach(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('readAllSources', () => {
  it('reads a folder once when a server folder is a link to the shared one (issue 15.7)', async (context) => {
    const docsDir = path.join(dataDir, 'docs');
    fs.mkdirSync(docsDir, { recursive: true });
    fs.writeFileSync(path.join(docsDir, 'guide.md'), '# Guide');
    fs.mkdirSync(path.join(dataDir, 'servers', '123'), { recursive: true });
    try {
      fs.symlinkSync(docsDir, path.join(dataDir, 'servers', '123', 'docs'));
    } catch {
      return context.skip();
    }

    const { documents, skipped } = await readAllSources(listDocumentSources(docsDir, dataDir), 1000);

    expect(documents.map((d) => [d.scope, d.path])).toEqual([['', 'guide.md']]);
    expect(skipped).toEqual([{ path: path.join(dataDir, 'servers', '123', 'docs'), reason: `the same folder as ${docsDir}, read once` }]);
  });
});
