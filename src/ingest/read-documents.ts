import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { documentFormat } from './document-format.ts';
import type { SourceDocument } from './types.ts';

/** A document file that was found but not read, with a one-line reason for the admin. */
export interface SkippedFile {
  /** Path relative to the documents root, `/`-separated ("" for the root itself). */
  readonly path: string;
  readonly reason: string;
}

/** Every readable document under a root, and the files that were left out. */
export interface ReadDocumentsResult {
  readonly documents: SourceDocument[];
  readonly skipped: SkippedFile[];
}

/**
 * Reads every `.txt`, `.md`, `.markdown`, `.html` and `.htm` file (extension in any case) under `root`, sorted by
 * path. A file that cannot be used — too large, empty, binary, not UTF-8, unreadable, hidden, or a symbolic link
 * leading out of `root` — is listed in `skipped` with its reason; nothing throws. Files of other types are ignored
 * silently, and a missing root gives an empty result. Contents are decoded as UTF-8 without the BOM.
 */
export async function readDocuments(root: string, options: { maxBytes: number }): Promise<ReadDocumentsResult> {
  let realRoot: string;
  try {
    realRoot = await fs.realpath(root);
    if (!(await fs.stat(realRoot)).isDirectory()) return skippedRoot('the documents path is not a folder');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { documents: [], skipped: [] };
    return skippedRoot(`the documents folder could not be read (${errorCode(error)})`);
  }
  const reader = new DocumentTreeReader(realRoot, options.maxBytes);
  await reader.readFolder(realRoot, '', new Set([realRoot]));
  return {
    documents: reader.documents.sort((a, b) => compare(a.path, b.path)),
    skipped: reader.skipped.sort((a, b) => compare(a.path, b.path)),
  };
}

function skippedRoot(reason: string): ReadDocumentsResult {
  return { documents: [], skipped: [{ path: '', reason }] };
}

/** Walks one documents root, collecting documents and skipped files. */
class DocumentTreeReader {
  readonly documents: SourceDocument[] = [];
  readonly skipped: SkippedFile[] = [];
  // fatal: invalid UTF-8 is reported instead of silently becoming U+FFFD; a leading BOM is dropped by default.
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(
    private readonly realRoot: string,
    private readonly maxBytes: number,
  ) {}

  /**
   * Reads the folder whose real path is `folder` (shown as `relative`); `ancestors` holds the real paths of the
   * folders above it and itself, so that a symbolic link back up the tree is not followed forever.
   */
  async readFolder(folder: string, relative: string, ancestors: ReadonlySet<string>): Promise<void> {
    let entries;
    try {
      entries = await fs.readdir(folder, { withFileTypes: true });
    } catch (error) {
      this.skip(relative, `folder could not be read (${errorCode(error)})`);
      return;
    }
    for (const entry of entries) {
      const entryPath = path.join(folder, entry.name);
      const entryRelative = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.name.startsWith('.')) {
        if (entry.isDirectory()) this.skip(entryRelative, 'hidden folder, not read');
        else if (documentFormat(entry.name)) this.skip(entryRelative, 'hidden file, not read');
      } else if (entry.isSymbolicLink()) {
        await this.readLink(entryPath, entryRelative, ancestors);
      } else if (entry.isDirectory()) {
        await this.readFolder(entryPath, entryRelative, new Set([...ancestors, entryPath]));
      } else if (entry.isFile() && documentFormat(entry.name)) {
        await this.readFile(entryPath, entryRelative);
      }
    }
  }

  /** Follows a symbolic link only when it leads to a file or folder inside the root. */
  private async readLink(linkPath: string, relative: string, ancestors: ReadonlySet<string>): Promise<void> {
    let target: string;
    let stats: Stats;
    try {
      target = await fs.realpath(linkPath);
      stats = await fs.stat(target);
    } catch {
      if (documentFormat(relative)) this.skip(relative, 'broken symbolic link');
      return;
    }
    const inside = target === this.realRoot || target.startsWith(this.realRoot + path.sep);
    if (stats.isDirectory()) {
      if (!inside) this.skip(relative, 'symbolic link to a folder outside the documents folder, not followed');
      else if (ancestors.has(target)) this.skip(relative, 'symbolic link to a folder above it, not followed');
      else await this.readFolder(target, relative, new Set([...ancestors, target]));
    } else if (stats.isFile() && documentFormat(relative)) {
      if (!inside) this.skip(relative, 'symbolic link to a file outside the documents folder, not followed');
      else await this.readFile(linkPath, relative);
    }
  }

  private async readFile(filePath: string, relative: string): Promise<void> {
    let bytes: Buffer;
    try {
      // Check the size before reading so a huge file is never loaded into memory.
      const { size } = await fs.stat(filePath);
      if (size > this.maxBytes) return this.skip(relative, tooLarge(size, this.maxBytes));
      bytes = await fs.readFile(filePath);
    } catch (error) {
      return this.skip(relative, `file could not be read (${errorCode(error)})`);
    }
    const content = this.decode(bytes, relative);
    if (content !== undefined) this.documents.push({ path: relative, content });
  }

  /** The text of a file, or undefined (and a skip reason) when it is not usable text. */
  private decode(bytes: Buffer, relative: string): string | undefined {
    // The file may have grown since it was measured.
    if (bytes.length > this.maxBytes) return this.skip(relative, tooLarge(bytes.length, this.maxBytes));
    if (bytes.length === 0) return this.skip(relative, 'empty file');
    // Text files never contain NUL; UTF-16 text and binaries do.
    if (bytes.includes(0)) return this.skip(relative, 'binary file (contains NUL bytes), not text');
    let content: string;
    try {
      content = this.decoder.decode(bytes);
    } catch {
      return this.skip(relative, 'not valid UTF-8 text');
    }
    if (content.trim() === '') return this.skip(relative, 'empty file (only whitespace)');
    return content;
  }

  private skip(relative: string, reason: string): undefined {
    this.skipped.push({ path: relative, reason });
    return undefined;
  }
}

function tooLarge(size: number, limit: number): string {
  return `too large: ${size.toLocaleString('en-US')} bytes, over the ${limit.toLocaleString('en-US')}-byte limit`;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? String(error);
}

/** Code-unit order, the same on every machine (unlike localeCompare). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
