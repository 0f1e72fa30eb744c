import { spawn } from 'node:child_process';
import dns from 'node:dns/promises';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createError, describeError } from '../errors.ts';
import { documentFormat } from '../ingest/document-format.ts';
import { checkAddress, isAddressLiteral } from './address-rule.ts';
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
 * shallow clone into a temporary folder, whose Markdown, HTML and text files under the source's folder are copied
 * into the source's own folder. Git connects only to an address checked by the address rule (pinned with
 * `http.curloptResolve`, so it cannot resolve the name again to another), follows no redirect, and speaks only
 * http(s). Symbolic links in the repository are never followed or copied, and no repository path can name a file
 * outside the source's folder.
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
    const branchArgs = origin.branch === '' ? [] : ['--branch', origin.branch];
    await runGit(binary, [...config, 'clone', '--depth', '1', '--single-branch', '--no-tags', '--quiet', ...branchArgs, '--', origin.cloneUrl, clone], options).catch((error: unknown) => {
      throw createError('SOURCE_UNREADABLE', record.url, `git clone failed (${describeError(error)})`);
    });
    const commit = (await runGit(binary, ['-C', clone, 'rev-parse', 'HEAD'], options)).trim();
    const branch = origin.branch || (await runGit(binary, ['-C', clone, 'rev-parse', '--abbrev-ref', 'HEAD'], options)).trim();
    const root = path.join(clone, ...origin.folder.split('/').filter((segment) => segment !== ''));
    // core.symlinks=false checks links out as small files holding their target: git's index says which they are.
    const links = symbolicLinks(await runGit(binary, ['-C', clone, 'ls-files', '-s', '-z'], options), origin.folder);
    const copied = copyDocuments(record, root, folder, limits, links);
    return { ...copied, git: { ...origin, branch: branch === 'HEAD' ? '' : branch, commit } };
  } finally {
    fs.rmSync(clone, { recursive: true, force: true });
  }
}

/** Paths (relative to `folder`) of the symbolic links in a `git ls-files -s -z` listing. */
function symbolicLinks(listing: string, folder: string): Set<string> {
  const prefix = folder === '' ? '' : `${folder}/`;
  const links = new Set<string>();
  for (const entry of listing.split('\0')) {
    const match = /^120000 [0-9a-f]+ \d+\t(.*)$/s.exec(entry);
    if (match && match[1]!.startsWith(prefix)) links.add(match[1]!.slice(prefix.length));
  }
  return links;
}

function copyDocuments(record: SourceRecord, root: string, folder: SourceFolder, limits: SyncLimits, links: ReadonlySet<string>): Omit<SyncOutcome, 'git'> {
  const pages: Record<string, PageState> = {};
  const skipped: { url: string; reason: string }[] = [];
  const counts: SyncCounts = { changed: 0, unchanged: 0, notModified: 0, removed: 0, failed: 0 };
  let rootStats: fs.Stats | null = null;
  try {
    rootStats = fs.lstatSync(root);
  } catch {
    rootStats = null;
  }
  if (!rootStats?.isDirectory()) throw createError('SOURCE_UNREADABLE', record.url, `the repository has no folder "${record.git!.folder}"`);
  let done = 0;
  for (const relative of documentFiles(root, '', skipped)) {
    if (links.has(relative)) {
      skipped.push({ url: relative, reason: 'a symbolic link (not followed)' });
      continue;
    }
    if (Object.keys(pages).length >= limits.maxPages) {
      skipped.push({ url: relative, reason: `over MAX_SOURCE_PAGES (${limits.maxPages})` });
      continue;
    }
    const bytes = fs.readFileSync(path.join(root, ...relative.split('/')));
    if (bytes.byteLength > limits.policy.maxBytes) {
      skipped.push({ url: relative, reason: `larger than ${limits.policy.maxBytes} bytes` });
      continue;
    }
    const hash = contentHash(bytes);
    const prior = record.pages[relative];
    if (prior?.hash === hash) counts.unchanged++;
    else {
      folder.write(relative, bytes);
      counts.changed++;
    }
    pages[relative] = { file: relative, hash };
    limits.onPage?.(++done);
  }
  for (const [relative, prior] of Object.entries(record.pages)) {
    if (pages[relative]) continue;
    folder.remove(prior.file);
    counts.removed++;
  }
  return { pages, lastError: null, counts, skipped };
}

/** Document files under `folder` (relative, `/`-separated, sorted); links, hidden entries and unsafe names left out. */
function documentFiles(root: string, relative: string, skipped: { url: string; reason: string }[]): string[] {
  const files: string[] = [];
  const entries = fs.readdirSync(path.join(root, ...relative.split('/').filter((s) => s !== '')), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.name.startsWith('.')) continue;
    if (entry.isSymbolicLink()) {
      if (documentFormat(entry.name)) skipped.push({ url: child, reason: 'a symbolic link (not followed)' });
      continue;
    }
    if (/[\\\0]/.test(entry.name)) continue;
    if (entry.isDirectory()) files.push(...documentFiles(root, child, skipped));
    else if (entry.isFile() && documentFormat(entry.name)) files.push(child);
  }
  return files;
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

/** Runs git with no terminal, no global or system configuration, within a time limit; resolves with its stdout. */
function runGit(binary: string, args: readonly string[], options: Pick<GitOptions, 'timeoutMs'>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        GIT_TERMINAL_PROMPT: '0',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_ASKPASS: '/bin/false',
        HOME: os.tmpdir(),
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-2000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(stdout);
      const last = stderr.trim().split('\n').pop() ?? '';
      reject(new Error(signal === 'SIGKILL' ? `timed out after ${options.timeoutMs} ms` : last.replace(/^(fatal|error): /, '') || `exit code ${code}`));
    });
  });
}
