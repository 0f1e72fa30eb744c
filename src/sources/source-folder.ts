import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../store/atomic-file.ts';

/**
 * A source's own folder, the only place its sync writes. Every relative path is checked before use: no absolute
 * path, no `..` segment, no empty or hidden segment, and no symbolic link on the way (a link planted in the folder
 * cannot carry a write outside it).
 */
export class SourceFolder {
  constructor(readonly root: string) {}

  /** Writes a file atomically (temporary file, fsync, rename). */
  write(relative: string, data: string | Uint8Array): void {
    const target = this.resolve(relative);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    this.checkNoLinks(target);
    writeFileAtomic(target, data);
  }

  /** Deletes a file if it is there, and the folders it leaves empty. */
  remove(relative: string): void {
    const target = this.resolve(relative);
    this.checkNoLinks(target);
    fs.rmSync(target, { force: true });
    for (let folder = path.dirname(target); folder.startsWith(this.root + path.sep); folder = path.dirname(folder)) {
      try {
        fs.rmdirSync(folder);
      } catch {
        break; // not empty
      }
    }
  }

  /** Deletes the whole folder. */
  removeAll(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }

  /** The absolute path of `relative` inside the folder; throws for anything that could point elsewhere. */
  resolve(relative: string): string {
    const segments = relative.split(/[\\/]/);
    if (relative === '' || path.isAbsolute(relative) || segments.some((segment) => segment === '' || segment === '.' || segment === '..' || segment.startsWith('.'))) {
      throw new Error(`"${relative}" is not a path inside the source's folder`);
    }
    const target = path.resolve(this.root, ...segments);
    if (!target.startsWith(path.resolve(this.root) + path.sep)) throw new Error(`"${relative}" is not a path inside the source's folder`);
    return target;
  }

  /** Refuses a target any of whose existing parts (below the root) is a symbolic link. */
  private checkNoLinks(target: string): void {
    const root = path.resolve(this.root);
    for (let part = target; part.startsWith(root + path.sep); part = path.dirname(part)) {
      let stats: fs.Stats;
      try {
        stats = fs.lstatSync(part);
      } catch {
        continue;
      }
      if (stats.isSymbolicLink()) throw new Error(`"${path.relative(root, target)}" passes through a symbolic link`);
    }
  }
}
