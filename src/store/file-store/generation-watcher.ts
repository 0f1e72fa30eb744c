import fs from 'node:fs';
import path from 'node:path';
import type { GenerationWatcher } from '../generation.ts';
import { MANIFEST_FILE } from './index-storage.ts';

export interface GenerationWatcherOptions {
  /** How often the manifest is checked besides file-system events (which some file systems never send), in ms. */
  readonly intervalMs: number;
  /**
   * Called when the manifest may have been replaced (another process committed a generation). Never called
   * twice at once; it should compare generations itself, since a change may also be this process's own commit.
   */
  readonly onChange: () => void;
  /** Also listen to fs.watch events, for a prompt reaction; polling alone otherwise. Default true. */
  readonly useFsWatch?: boolean;
}

/**
 * Notices a newly committed index generation in `indexDir`, whoever wrote it. A commit replaces manifest.json
 * atomically (rename), so a changed manifest always names a complete generation. fs.watch reports it at once
 * where it works; a poll of the manifest's inode, size and mtime catches it where it doesn't (network and
 * container file systems), and works before the folder exists (file-system events start once it does).
 */
export function watchGenerations(indexDir: string, options: GenerationWatcherOptions): GenerationWatcher {
  const manifest = path.join(indexDir, MANIFEST_FILE);
  let last = fingerprint(manifest);
  let closed = false;
  let pending = false;

  const check = () => {
    pending = false;
    if (closed) return;
    const now = fingerprint(manifest);
    if (now === last) return;
    last = now;
    options.onChange();
  };
  // Events come in bursts (temporary file, rename): one check after them is enough.
  const schedule = () => {
    if (pending || closed) return;
    pending = true;
    setImmediate(check);
  };

  let events: fs.FSWatcher | null = null;
  // fs.watch needs the folder: a process that started before the first index was written (the first shard, a bot
  // started on an empty folder) tries again at each poll until it can, instead of polling alone for ever.
  const watchEvents = () => {
    if (events || closed || options.useFsWatch === false) return;
    try {
      events = fs.watch(indexDir, { persistent: false }, (_event, name) => {
        if (name === null || name === MANIFEST_FILE) schedule();
      });
      // e.g. the folder was removed: polling carries on, and watching starts again once it is back
      events.on('error', () => {
        events?.close();
        events = null;
      });
    } catch {
      events = null; // no folder yet, or no inotify watches left: polling alone for now
    }
  };
  const timer = setInterval(() => {
    watchEvents();
    schedule();
  }, options.intervalMs);
  timer.unref();
  watchEvents();

  return {
    close() {
      closed = true;
      clearInterval(timer);
      events?.close();
    },
  };
}

/** Changes whenever the file is replaced or rewritten; "" while it does not exist. */
function fingerprint(file: string): string {
  try {
    const stat = fs.statSync(file, { bigint: true });
    return `${stat.ino}:${stat.size}:${stat.mtimeNs}`;
  } catch {
    return '';
  }
}
