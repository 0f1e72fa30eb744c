import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../store/atomic-file.ts';
import type { SourceRecord } from './source-record.ts';

/**
 * The registry of sources: one JSON file (index-data/sources.json), rewritten atomically on every change, so a
 * crash leaves the old registry or the new one. Only the process holding the reindex lock writes it.
 */
export class SourceRegistry {
  /** The last read, by the file's identity: every answer's links consult the registry, re-reading it is waste. */
  private cache: { readonly fingerprint: string; readonly records: readonly SourceRecord[] } | undefined;

  constructor(private readonly file: string) {}

  /** Where the registry of `dataDir` lives. */
  static in(dataDir: string): SourceRegistry {
    return new SourceRegistry(path.join(dataDir, 'sources.json'));
  }

  /** Every source, in the order added. A missing file is an empty registry; a corrupt one is an error. */
  list(): SourceRecord[] {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    // Written by rename (writeFileAtomic): a new version is a new inode.
    const fingerprint = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    if (this.cache?.fingerprint !== fingerprint) {
      const parsed = JSON.parse(fs.readFileSync(this.file, 'utf8')) as { sources?: SourceRecord[] };
      this.cache = { fingerprint, records: Array.isArray(parsed.sources) ? parsed.sources : [] };
    }
    return [...this.cache.records];
  }

  get(id: string): SourceRecord | undefined {
    return this.list().find((record) => record.id === id);
  }

  /** Adds or replaces the record with this id. */
  put(record: SourceRecord): void {
    const records = this.list();
    const at = records.findIndex((existing) => existing.id === record.id);
    if (at >= 0) records[at] = record;
    else records.push(record);
    this.write(records);
  }

  remove(id: string): void {
    this.write(this.list().filter((record) => record.id !== id));
  }

  private write(records: readonly SourceRecord[]): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    writeFileAtomic(this.file, `${JSON.stringify({ version: 1, sources: records }, null, 1)}\n`);
  }
}
