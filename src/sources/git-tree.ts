import { documentFormat } from '../ingest/document-format.ts';
import { runGit, runGitBytes, type GitRun } from './git-command.ts';

/** One document file of a commit, under the source's folder. */
export interface TreeDocument {
  /** Path relative to the source's folder, `/`-separated. */
  readonly relative: string;
  readonly object: string;
  /** Its size, or null when the clone does not hold it (left out by the `blob:limit` filter: too large). */
  readonly bytes: number | null;
}

/** The files of `folder` at HEAD, sorted: documents, and the entries left out with the reason. */
export interface FolderListing {
  /** Whether `folder` is a folder of the commit ("" always is). */
  readonly found: boolean;
  readonly documents: TreeDocument[];
  readonly skipped: { url: string; reason: string }[];
}

/**
 * Lists a clone's documents under `folder` from git's own tree (`ls-tree`), with no checkout: symbolic links
 * (mode 120000) are never written anywhere, submodules are not followed, and hidden or unsafe paths are left out.
 * Sizes come from `cat-file --batch-check`; the clone's promisor remote must be removed first, or git would fetch
 * each blob the filter left out just to tell its size.
 */
export async function listFolderDocuments(binary: string, clone: string, folder: string, run: GitRun): Promise<FolderListing> {
  const prefix = folder === '' ? '' : `${folder}/`;
  const listing = await runGit(binary, ['-C', clone, 'ls-tree', '-r', '-t', '-z', 'HEAD'], run);
  let found = folder === '';
  const files: { relative: string; object: string }[] = [];
  const skipped: { url: string; reason: string }[] = [];
  for (const entry of listing.split('\0')) {
    const match = /^(\d{6}) (\w+) ([0-9a-f]+)\t(.*)$/s.exec(entry);
    if (!match) continue;
    const [, mode, type, object, name] = match as unknown as [string, string, string, string, string];
    if (type === 'tree' && name === folder) found = true;
    if (type !== 'blob' || !name.startsWith(prefix)) continue;
    const relative = name.slice(prefix.length);
    if (relative.split('/').some((segment) => segment.startsWith('.')) || /[\\\0]/.test(relative) || !documentFormat(relative)) continue;
    if (mode === '120000') skipped.push({ url: relative, reason: 'a symbolic link (not followed)' });
    else files.push({ relative, object });
  }
  files.sort((a, b) => (a.relative < b.relative ? -1 : 1));
  const sizes = await objectSizes(binary, clone, files.map((file) => file.object), run);
  return { found, documents: files.map((file) => ({ ...file, bytes: sizes.get(file.object) ?? null })), skipped };
}

async function objectSizes(binary: string, clone: string, objects: readonly string[], run: GitRun): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  if (objects.length === 0) return sizes;
  const answer = await runGit(binary, ['-C', clone, 'cat-file', '--batch-check'], { ...run, input: `${objects.join('\n')}\n` });
  for (const line of answer.split('\n')) {
    const [object, type, size] = line.split(' ');
    if (type === 'blob' && object && size) sizes.set(object, Number(size)); // "<object> missing" otherwise
  }
  return sizes;
}

/** Contents of blobs, read in one `cat-file --batch` call; the caller keeps each call's total small. */
export async function readBlobs(binary: string, clone: string, objects: readonly string[], run: GitRun): Promise<Map<string, Buffer>> {
  const contents = new Map<string, Buffer>();
  if (objects.length === 0) return contents;
  const output = await runGitBytes(binary, ['-C', clone, 'cat-file', '--batch'], { ...run, input: `${objects.join('\n')}\n` });
  for (let at = 0; at < output.length; ) {
    const lineEnd = output.indexOf(0x0a, at);
    if (lineEnd < 0) break;
    const [object, type, size] = output.subarray(at, lineEnd).toString('utf8').split(' ');
    at = lineEnd + 1;
    if (type === undefined || size === undefined || type === 'missing') continue;
    const bytes = Number(size);
    contents.set(object!, output.subarray(at, at + bytes));
    at += bytes + 1; // the content, then a newline
  }
  return contents;
}
