import dns from 'node:dns/promises';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createError, describeError } from '../errors.ts';
import { checkAddress, isAddressLiteral } from './address-rule.ts';
import { folderBytes, runGit, watchFolderSize } from './git-command.ts';
import { listFolderDocuments, readBlobs, type FolderListing, type TreeDocument } from './git-tree.ts';
import { checkSourceUrl } from './safe-http.ts';
import type { SourceFolder } from './source-folder.ts';
import { contentHash, type GitOrigin, type PageState, type SourceRecord } from './source-record.ts';
import type { SyncCounts, SyncLimits, SyncOutcome } from './web-sync.ts';

/** How git is run. */
export interface GitOptions {
  /** The git program (default `git` on the PATH). */
  readonly binary?: string;
  /** Longest a clone or ls-remote may take. */
  readonly timeoutMs: number;
  /** SOURCE_MAX_REPOSITORY_BYTES: most bytes the clone and the documents copied from it may take together. */
  readonly maxBytes: number;
}

/**
 * The repository a URL names, or null when it names none: `https://host/org/repo.git[/folder/]`, or a GitHub or
 * GitLab page of a repository (`https://github.com/org/repo[/tree/<branch>/<folder>]`).
 */
export function gitOriginOf(url: URL): GitOrigin | null {
  const segments = url.pathname.split('/').filter((segment) => segment !== '');
  const dotGit = segments.findIndex((segment) => segment.endsWith('.git'));
  if (dotGit >= 1 || (dotGit === 0 && segments.length >= 1)) {
    return { cloneUrl: `${url.origin}/${segments.slice(0, dotGit + 1).join('/')}`, branch: '', folder: segments.slice(dotGit + 1).join('/') };
  }
  const forge = url.hostname === 'github.com' || url.hostname === 'gitlab.com' || url.hostname === 'codeberg.org';
  if (!forge || segments.length < 2) return null;
  const [owner, repo, ...rest] = segments as [string, string, ...string[]];
  const tree = rest[0] === '-' ? rest.slice(1) : rest; // GitLab: /-/tree/<branch>/...
  const hasTree = (tree[0] === 'tree' || tree[0] === 'blob' || tree[0] === 'src') && tree.length >= 2;
  const branchAt = tree[0] === 'src' && tree[1] === 'branch' ? 2 : 1; // Codeberg: /src/branch/<branch>/...
  return {
    cloneUrl: `${url.origin}/${owner}/${repo}.git`,
    branch: hasTree ? (tree[branchAt] ?? '') : '',
    folder: hasTree ? tree.slice(branchAt + 1).join('/') : '',
  };
}

/** `git --version`, or null when git cannot be run. */
export async function gitVersion(binary = 'git'): Promise<string | null> {
  try {
    return (await runGit(binary, ['--version'], { timeoutMs: 10_000 })).trim();
  } catch {
    return null;
  }
}

/**
 * Brings a git source up to date: `git ls-remote` first (an unchanged repository costs that one request), else a
 * shallow, single-branch clone without checkout into a temporary folder, asking the server to leave out every blob
 * larger than a page may be (`--filter=blob:limit`); the Markdown, HTML and text files under the source's folder are
 * read from git's objects and copied into the source's own folder. The clone and the documents together may take at
 * most `SOURCE_MAX_REPOSITORY_BYTES`: past it the sync stops before writing anything, so the last synced copy is kept
 * whole. Git connects only to an address checked by the address rule (pinned with `http.curloptResolve`, so it
 * cannot resolve the name again to another), follows no redirect, and speaks only http(s). Symbolic links in the
 * repository are never followed or copied, and no repository path can name a file outside the source's folder.
 */
export async function syncGitSource(record: SourceRecord, folder: SourceFolder, limits: SyncLimits, options: GitOptions): Promise<SyncOutcome> {
  const origin = record.git!;
  const binary = options.binary ?? 'git';
  if ((await gitVersion(binary)) === null) throw createError('SOURCE_UNREADABLE', record.url, 'git is not installed on this host');
  const config = await safeGitConfig(origin.cloneUrl, limits.policy.allowPrivate);
  const ref = origin.branch === '' ? 'HEAD' : `refs/heads/${origin.branch}`;
  const remote = await runGit(binary, [...config, 'ls-remote', '--', origin.cloneUrl, ref], options).catch((error: unknown) => {
    throw createError('SOURCE_UNREADABLE', record.url, `git could not read the repository (${describeError(error)})`);
  });
  const head = remote.split(/\s/)[0] ?? '';
  if (head === '') throw createError('SOURCE_UNREADABLE', record.url, origin.branch ? `the repository has no branch "${origin.branch}"` : 'the repository is empty');
  const pagesFailed = Object.values(record.pages).some((page) => page.error);
  if (head === origin.commit && !pagesFailed) {
    const count = Object.keys(record.pages).length;
    return { pages: { ...record.pages }, lastError: null, counts: { changed: 0, unchanged: count, notModified: count, removed: 0, failed: 0 }, skipped: [], git: origin };
  }

  const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-git-'));
  try {
    const fetched = await cloneWithin(binary, config, record, clone, limits.policy.maxBytes, options);
    const commit = (await runGit(binary, ['-C', clone, 'rev-parse', 'HEAD'], options)).trim();
    const branch = origin.branch || (await runGit(binary, ['-C', clone, 'rev-parse', '--abbrev-ref', 'HEAD'], options)).trim();
    const listing = await listFolderDocuments(binary, clone, origin.folder, options);
    if (!listing.found) throw createError('SOURCE_UNREADABLE', record.url, `the repository has no folder "${origin.folder}"`);
    const plan = planCopy(listing, limits);
    const documentBytes = plan.documents.reduce((sum, document) => sum + document.bytes!, 0);
    if (fetched + documentBytes > options.maxBytes) throw createError('SOURCE_TOO_LARGE', record.url, options.maxBytes);
    const copied = await copyDocuments(record, plan, folder, limits, (objects) => readBlobs(binary, clone, objects, options));
    return { ...copied, git: { ...origin, branch: branch === 'HEAD' ? '' : branch, commit } };
  } finally {
    fs.rmSync(clone, { recursive: true, force: true });
  }
}

/**
 * Clones into `clone` (no checkout, blobs over `maxBlobBytes` left out) while watching its size; returns the bytes
 * fetched. The filter is a request: a server that does not support it sends every blob, and the watchdog stops it.
 */
async function cloneWithin(binary: string, config: readonly string[], record: SourceRecord, clone: string, maxBlobBytes: number, options: GitOptions): Promise<number> {
  const origin = record.git!;
  const branchArgs = origin.branch === '' ? [] : ['--branch', origin.branch];
  const args = [...config, 'clone', '--depth', '1', '--single-branch', '--no-tags', '--no-checkout', `--filter=blob:limit=${maxBlobBytes}`, '--quiet', ...branchArgs, '--', origin.cloneUrl, clone];
  const controller = new AbortController();
  const watchdog = watchFolderSize(clone, options.maxBytes, controller);
  try {
    await runGit(binary, args, { ...options, signal: controller.signal });
  } catch (error) {
    if (watchdog.exceeded) throw createError('SOURCE_TOO_LARGE', record.url, options.maxBytes);
    throw createError('SOURCE_UNREADABLE', record.url, `git clone failed (${describeError(error)})`);
  } finally {
    watchdog.stop();
  }
  const fetched = folderBytes(clone);
  if (fetched > options.maxBytes) throw createError('SOURCE_TOO_LARGE', record.url, options.maxBytes);
  // Without its remote (promisor, partial-clone filter), a blob the filter left out reads as missing, where git would
  // otherwise fetch it, unwatched, the moment its size is asked for.
  await runGit(binary, ['-C', clone, 'config', '--remove-section', 'remote.origin'], options).catch((error: unknown) => {
    throw createError('SOURCE_UNREADABLE', record.url, `git could not detach the clone from its remote (${describeError(error)})`);
  });
  return fetched;
}

/** The documents a sync copies (within MAX_SOURCE_PAGES and the page size), and those it leaves out, with why. */
function planCopy(listing: FolderListing, limits: SyncLimits): { documents: TreeDocument[]; skipped: { url: string; reason: string }[] } {
  const documents: TreeDocument[] = [];
  const skipped = [...listing.skipped];
  for (const document of listing.documents) {
    if (documents.length >= limits.maxPages) skipped.push({ url: document.relative, reason: `over MAX_SOURCE_PAGES (${limits.maxPages})` });
    else if (document.bytes === null || document.bytes > limits.policy.maxBytes) skipped.push({ url: document.relative, reason: `larger than ${limits.policy.maxBytes} bytes` });
    else documents.push(document);
  }
  return { documents, skipped };
}

/** Most bytes of file contents held in memory at once while copying. */
const COPY_BATCH_BYTES = 8 * 1024 * 1024;

async function copyDocuments(
  record: SourceRecord,
  plan: { documents: TreeDocument[]; skipped: { url: string; reason: string }[] },
  folder: SourceFolder,
  limits: SyncLimits,
  read: (objects: string[]) => Promise<Map<string, Buffer>>,
): Promise<Omit<SyncOutcome, 'git'>> {
  const pages: Record<string, PageState> = {};
  const counts: SyncCounts = { changed: 0, unchanged: 0, notModified: 0, removed: 0, failed: 0 };
  let done = 0;
  for (const batch of batchesOf(plan.documents, COPY_BATCH_BYTES)) {
    const contents = await read(batch.map((document) => document.object));
    for (const document of batch) {
      const bytes = contents.get(document.object);
      if (!bytes) throw createError('SOURCE_UNREADABLE', record.url, `git could not read "${document.relative}"`);
      const hash = contentHash(bytes);
      if (record.pages[document.relative]?.hash === hash) counts.unchanged++;
      else {
        folder.write(document.relative, bytes);
        counts.changed++;
      }
      pages[document.relative] = { file: document.relative, hash };
      limits.onPage?.(++done);
    }
  }
  for (const [relative, prior] of Object.entries(record.pages)) {
    if (pages[relative]) continue;
    folder.remove(prior.file);
    counts.removed++;
  }
  return { pages, lastError: null, counts, skipped: plan.skipped };
}

/** Consecutive groups of documents of at most `maxBytes` together (a larger document is a group of its own). */
function batchesOf(documents: readonly TreeDocument[], maxBytes: number): TreeDocument[][] {
  const batches: TreeDocument[][] = [];
  let current: TreeDocument[] = [];
  let bytes = 0;
  for (const document of documents) {
    if (current.length > 0 && bytes + document.bytes! > maxBytes) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(document);
    bytes += document.bytes!;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * `-c` options that make git as safe as our own HTTP client: http(s) only (no `file`, `ssh`, `ext`), no
 * redirects, no credential prompt, no hooks, no symbolic links checked out, and the host pinned to an address the
 * address rule allows.
 */
async function safeGitConfig(cloneUrl: string, allowPrivate: boolean): Promise<string[]> {
  const url = checkSourceUrl(cloneUrl, { allowPrivate });
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const pinned: string[] = [];
  if (!isAddressLiteral(url.hostname)) {
    const addresses = await dns.lookup(url.hostname, { all: true }).catch((error: unknown) => {
      throw createError('SOURCE_UNREADABLE', cloneUrl, `${url.hostname} could not be resolved (${describeError(error)})`);
    });
    const refused = addresses.map((entry) => checkAddress(entry.address, allowPrivate)).find((verdict) => verdict !== null);
    if (refused || addresses.length === 0) {
      throw createError('SOURCE_URL_REFUSED', cloneUrl, `${url.hostname} resolves to ${refused ?? 'no address'}, and sources may not reach the host's own network (ALLOW_PRIVATE_SOURCES=true allows it)`);
    }
    const address = addresses[0]!;
    pinned.push('-c', `http.curloptResolve=${url.hostname}:${port}:${address.family === 6 ? `[${address.address}]` : address.address}`);
  }
  return [
    '-c', 'protocol.allow=never',
    '-c', 'protocol.https.allow=always',
    '-c', 'protocol.http.allow=always',
    '-c', 'http.followRedirects=false',
    '-c', 'core.symlinks=false',
    '-c', 'core.hooksPath=/dev/null',
    '-c', 'credential.helper=',
    ...pinned,
  ];
}
