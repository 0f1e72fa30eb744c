import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../store/atomic-file.ts';
import type { SourceRecord } from './source-record.ts';

/**
 * The registry of sources: one JSON file (index-data/sources.json), rewritten atomically on every change, so a
 * crash leaves the old registry or the new one. Only the process holding the reindex lock writes it.
 */
export class SourceRegistry {
  constructor(private readonly file: string) {}

  /** Where the registry of `dataDir` lives. */
  static in(dataDir: string): SourceRegistry {
    return new SourceRegistry(path.join(dataDir, 'sources.json'));
  }

  /** Every source, in the order added. A missing file is an empty registry; a corrupt one is an error. */
  list(): SourceRecord[] {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const parsed = JSON.parse(text) as { sources?: SourceRecord[] };
    return Array.isArray(parsed.sources) ? parsed.sources : [];
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
