import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createError } from '../../errors.ts';
import { readProcessIdentity, type ProcessIdentity } from './process-identity.ts';

/** What a lock file holds: enough to prove which process (not just which PID) took it. */
interface LockRecord extends ProcessIdentity {
  /** Random per acquisition: tells this process's own locks from a dead predecessor's that had the same PID. */
  readonly token: string;
}

/** Tokens of the locks this process holds now (an engine per index folder; tests open several). */
const heldTokens = new Set<string>();

const LOCK_FILE = 'reindex.lock';

/**
 * A lock file that lets one process at a time write an index folder (the bot and a CLI `index` may share it).
 * The file names its owner by PID, process start time and boot id, and a random token; a lock whose owner is
 * gone is taken over. A PID alone proves nothing: a restarted container gives the new bot the crashed one's
 * PID, and an unrelated process may have been given it since. Returns the release function.
 */
export function acquireReindexLock(indexDir: string): () => void {
  fs.mkdirSync(indexDir, { recursive: true });
  const file = path.join(indexDir, LOCK_FILE);
  const record: LockRecord = { ...readProcessIdentity(process.pid), token: crypto.randomBytes(16).toString('hex') };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createExclusive(file, JSON.stringify(record))) {
      heldTokens.add(record.token);
      return () => release(file, record.token);
    }
    const current = readLock(file);
    if (current === undefined) continue; // released meanwhile
    if (isHeld(current.record)) break;
    takeOver(file, current.text);
  }
  throw createError('REINDEX_RUNNING');
}

/**
 * Creates `file` with `content` unless it exists, atomically and complete: written to a temporary file first and
 * hard-linked into place, so no reader ever sees an empty or half-written lock.
 */
function createExclusive(file: string, content: string): boolean {
  const temporary = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(temporary, content);
  try {
    fs.linkSync(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

function readLock(file: string): { text: string; record: LockRecord | null } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return { text, record: parseLock(text) };
}

/** null for anything that is not a lock record, including the bare PID that earlier versions wrote. */
function parseLock(text: string): LockRecord | null {
  try {
    const value = JSON.parse(text) as Partial<LockRecord> | null;
    if (typeof value !== 'object' || value === null || !Number.isInteger(value.pid) || typeof value.token !== 'string') return null;
    return { pid: value.pid!, token: value.token, startTime: value.startTime ?? null, bootId: value.bootId ?? null };
  } catch {
    return null;
  }
}

/** Whether the lock's owner provably still runs. A lock that cannot prove its owner is not held. */
function isHeld(record: LockRecord | null): boolean {
  if (record === null) return false;
  if (record.pid === process.pid) return heldTokens.has(record.token);
  if (!isAlive(record.pid)) return false;
  const now = readProcessIdentity(record.pid);
  // Where the OS can't tell (no /proc), a live PID is all there is to go by.
  if (record.bootId !== null && now.bootId !== null && record.bootId !== now.bootId) return false;
  if (record.startTime !== null && now.startTime !== null && record.startTime !== now.startTime) return false;
  return true;
}

/**
 * Removes a stale lock, unless another process replaced it since it was read: it is renamed aside first (only
 * one of several racing processes gets it) and put back if it is not the one judged stale.
 */
function takeOver(file: string, staleText: string): void {
  const aside = `${file}.${crypto.randomBytes(4).toString('hex')}.stale`;
  try {
    fs.renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    if (fs.readFileSync(aside, 'utf8') !== staleText) fs.linkSync(aside, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.rmSync(aside, { force: true });
  }
}

function release(file: string, token: string): void {
  heldTokens.delete(token);
  const current = readLock(file);
  if (current?.record?.token === token) fs.rmSync(file, { force: true });
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
