import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { decodeText } from './decode-text.ts';
import { documentFormat, isBinaryFormat } from './document-format.ts';
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
 * Reads every `.txt`, `.md`, `.markdown`, `.mdx`, `.html`, `.htm`, `.pdf` and `.docx` file (extension in any case)
 * under `root`, sorted by path. A file that cannot be used — too large, empty, binary, not text in a known encoding, unreadable, hidden,
 * or a symbolic link leading out of `root` — is listed in `skipped` with its reason; nothing throws. Files of
 * other types are ignored silently, and a missing root gives an empty result. Symbolic links inside `root` are
 * followed, but each real folder is read once and each real file becomes one document, under its own path when
 * that is reachable without a link, else under the first link to it (in path order). Contents are decoded from
 * UTF-8, or from UTF-16 when a byte-order mark says so, without the BOM. PDF and Word files are kept as bytes
 * (`content` ""): they are parsed when split, in the process that bounds their time and memory.
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
  await reader.readTree();
  return {
    documents: reader.documents.sort((a, b) => compare(a.path, b.path)),
    skipped: reader.skipped.sort((a, b) => compare(a.path, b.path)),
  };
}

function skippedRoot(reason: string): ReadDocumentsResult {
  return { documents: [], skipped: [{ path: '', reason }] };
}

/** A symbolic link met while walking, followed only once every real folder has been read. */
interface PendingLink {
  readonly linkPath: string;
  readonly relative: string;
}

/**
 * Walks one documents root, collecting documents and skipped files. Real folders are walked first and links
 * afterwards, so a link never claims a file that has a path of its own; a link to a folder already read (a
 * cycle, or siblings linked to each other) is not followed again. Without this, 8 sibling folders linked to each
 * other were read along every path through the links and never finished.
 */
class DocumentTreeReader {
  readonly documents: SourceDocument[] = [];
  readonly skipped: SkippedFile[] = [];
  /** Real paths of the folders read. */
  private readonly folders = new Set<string>();
  /** Real path of each file read (or skipped for its content) → the path it is listed under. */
  private readonly files = new Map<string, string>();
  private readonly links: PendingLink[] = [];

  constructor(
    private readonly realRoot: string,
    private readonly maxBytes: number,
  ) {}

  async readTree(): Promise<void> {
    await this.readFolder(this.realRoot, '');
    // In rounds, each in path order: links inside followed folders come next; `folders` and `files` end cycles.
    for (let round = this.links.splice(0); round.length > 0; round = this.links.splice(0)) {
      for (const link of round.sort((a, b) => compare(a.relative, b.relative))) await this.readLink(link);
    }
  }

  /** Reads the folder whose real path is `folder` (shown as `relative`), queueing the links in it. */
  private async readFolder(folder: string, relative: string): Promise<void> {
    this.folders.add(folder);
    let entries;
    try {
      entries = await fs.readdir(folder, { withFileTypes: true });
    } catch (error) {
      this.skip(relative, `folder could not be read (${errorCode(error)})`);
      return;
    }
    for (const entry of entries.sort((a, b) => compare(a.name, b.name))) {
      const entryPath = path.join(folder, entry.name);
      const entryRelative = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.name.startsWith('.')) {
        if (entry.isDirectory()) this.skip(entryRelative, 'hidden folder, not read');
        else if (documentFormat(entry.name)) this.skip(entryRelative, 'hidden file, not read');
      } else if (entry.isSymbolicLink()) {
        this.links.push({ linkPath: entryPath, relative: entryRelative });
      } else if (entry.isDirectory()) {
        await this.readFolder(entryPath, entryRelative);
      } else if (entry.isFile() && documentFormat(entry.name)) {
        await this.readFile(entryPath, entryPath, entryRelative);
      }
    }
  }

  /** Follows a symbolic link only when it leads inside the root, to a folder or file not read already. */
  private async readLink({ linkPath, relative }: PendingLink): Promise<void> {
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
      else if (this.folders.has(target)) this.skip(relative, `symbolic link to a folder read already (${this.shown(target)}), not followed again`);
      else await this.readFolder(target, relative);
    } else if (stats.isFile() && documentFormat(relative)) {
      if (!inside) this.skip(relative, 'symbolic link to a file outside the documents folder, not followed');
      else await this.readFile(linkPath, target, relative);
    }
  }

  /** Reads the file at `filePath` (real path `realPath`) unless that real file was read already. */
  private async readFile(filePath: string, realPath: string, relative: string): Promise<void> {
    const listedAs = this.files.get(realPath);
    if (listedAs !== undefined) return this.skip(relative, `same file as ${listedAs}, indexed once`);
    this.files.set(realPath, relative);
    let bytes: Buffer;
    try {
      // Check the size before reading so a huge file is never loaded into memory.
      const { size } = await fs.stat(filePath);
      if (size > this.maxBytes) return this.skip(relative, tooLarge(size, this.maxBytes));
      bytes = await fs.readFile(filePath);
    } catch (error) {
      return this.skip(relative, `file could not be read (${errorCode(error)})`);
    }
    // The file may have grown since it was measured.
    if (bytes.length > this.maxBytes) return this.skip(relative, tooLarge(bytes.length, this.maxBytes));
    if (isBinaryFormat(documentFormat(relative))) {
      if (bytes.length === 0) return this.skip(relative, 'empty file');
      this.documents.push({ path: relative, content: '', bytes });
      return;
    }
    const decoded = decodeText(bytes);
    if ('reason' in decoded) return this.skip(relative, decoded.reason);
    this.documents.push({ path: relative, content: decoded.text });
  }

  /** A real path inside the root as the documents-relative path it is listed under. */
  private shown(realPath: string): string {
    return path.relative(this.realRoot, realPath).split(path.sep).join('/') || '.';
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
