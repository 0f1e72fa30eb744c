import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../store/atomic-file.ts';

/** A change to the documents made under the reindex lock, and how to take it back if the reindex fails. */
export interface DocumentChange {
  apply(): void;
  undo(): void;
}

/** Writing an upload to `file`; `previous()` is the version it replaced, once applied (null: there was none). */
export function uploadChange(file: string, bytes: Uint8Array): DocumentChange & { previous(): Buffer | null } {
  let previous: Buffer | null = null;
  return {
    apply: () => {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      previous = fs.existsSync(file) ? fs.readFileSync(file) : null;
      writeFileAtomic(file, bytes);
    },
    undo: () => (previous ? writeFileAtomic(file, previous) : fs.rmSync(file, { force: true })),
    previous: () => previous,
  };
}

/** Deleting `file` (if it is still there); undo writes it back. */
export function removalChange(file: string): DocumentChange {
  let removed: Buffer | null = null;
  return {
    apply: () => {
      removed = fs.existsSync(file) ? fs.readFileSync(file) : null;
      fs.rmSync(file, { force: true });
    },
    undo: () => {
      if (removed) writeFileAtomic(file, removed);
    },
  };
}
