import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** How one git command runs. */
export interface GitRun {
  readonly timeoutMs: number;
  /** Written to git's standard input (then closed). */
  readonly input?: string;
  /** Kills git when aborted (the clone's size watchdog). */
  readonly signal?: AbortSignal;
}

/** Runs git with no terminal, no global or system configuration, within a time limit; resolves with its stdout. */
export async function runGit(binary: string, args: readonly string[], run: GitRun): Promise<string> {
  return (await runGitBytes(binary, args, run)).toString('utf8');
}

/** {@link runGit}, with stdout as bytes (file contents from `git cat-file --batch`). */
export function runGitBytes(binary: string, args: readonly string[], run: GitRun): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, {
      stdio: [run.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        GIT_TERMINAL_PROMPT: '0',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_ASKPASS: '/bin/false',
        HOME: os.tmpdir(),
      },
    });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-2000)));
    if (run.input !== undefined) child.stdin!.end(run.input);
    const timer = setTimeout(() => child.kill('SIGKILL'), run.timeoutMs);
    const abort = (): void => void child.kill('SIGKILL');
    run.signal?.addEventListener('abort', abort, { once: true });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      run.signal?.removeEventListener('abort', abort);
      if (code === 0) return resolve(Buffer.concat(chunks));
      if (run.signal?.aborted) return reject(new Error('stopped'));
      const last = stderr.trim().split('\n').pop() ?? '';
      reject(new Error(signal === 'SIGKILL' ? `timed out after ${run.timeoutMs} ms` : last.replace(/^(fatal|error): /, '') || `exit code ${code}`));
    });
  });
}

/** Bytes of every file under `folder` (links not followed); 0 when it is not there. */
export function folderBytes(folder: string): number {
  let total = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(folder, { withFileTypes: true });
  } catch {
    return 0; // not there yet, or removed while we looked
  }
  for (const entry of entries) {
    const child = path.join(folder, entry.name);
    if (entry.isDirectory()) total += folderBytes(child);
    else {
      try {
        total += fs.lstatSync(child).size;
      } catch {
        // a temporary file git renamed or deleted between readdir and lstat
      }
    }
  }
  return total;
}

/**
 * Watches a folder's size while git writes into it, and aborts `controller` when it passes `maxBytes`. Git has no
 * limit of its own on what a fetch downloads, so this is the one that stops a huge repository filling the disk; it
 * looks every `intervalMs`, so it can overshoot by what arrives in that time.
 */
export function watchFolderSize(folder: string, maxBytes: number, controller: AbortController, intervalMs = 100): { stop(): void; readonly exceeded: boolean } {
  let exceeded = false;
  const timer = setInterval(() => {
    if (folderBytes(folder) <= maxBytes) return;
    exceeded = true;
    controller.abort();
  }, intervalMs);
  return {
    stop: () => clearInterval(timer),
    get exceeded() {
      return exceeded;
    },
  };
}
