import fs from 'node:fs';
import path from 'node:path';
import { createError } from '../errors.ts';

/**
 * A lock file that lets one process at a time write an index folder (the bot and a CLI `index` may share it).
 * A lock left by a process that no longer exists (killed mid-reindex) is taken over.
 */
export function acquireReindexLock(indexDir: string): () => void {
  fs.mkdirSync(indexDir, { recursive: true });
  const file = path.join(indexDir, 'reindex.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(fs.readFileSync(file, 'utf8'));
      if (isAlive(owner)) break;
      fs.rmSync(file, { force: true });
    }
  }
  throw createError('REINDEX_RUNNING', 'A reindex is already running; try again when it has finished.');
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
