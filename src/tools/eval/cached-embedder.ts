import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Embedder } from '../../embed/embedder.ts';

/**
 * An embedder that remembers every vector in a file, keyed by model id, kind (query or passage) and text, so that
 * repeated eval runs (weight and threshold sweeps) embed each text once. Evaluation only: the bot's index already
 * reuses vectors by paragraph hash.
 */
export class CachedEmbedder implements Embedder {
  private readonly vectors = new Map<string, Float32Array>();
  private added = 0;

  private constructor(private readonly inner: Embedder, private readonly file: string) {}

  /** Opens (or starts) the cache file for this model in `folder`. */
  static open(inner: Embedder, folder: string): CachedEmbedder {
    const file = path.join(folder, `${createHash('sha256').update(inner.modelId).digest('hex').slice(0, 16)}.vectors`);
    const cache = new CachedEmbedder(inner, file);
    if (fs.existsSync(file)) cache.read(fs.readFileSync(file));
    return cache;
  }

  get modelId(): string { return this.inner.modelId; }
  get dimension(): number { return this.inner.dimension; }
  get maxTokens(): number { return this.inner.maxTokens; }
  countTokens(text: string): number { return this.inner.countTokens(text); }
  close(): Promise<void> { return this.inner.close(); }

  async embedQuery(text: string): Promise<Float32Array> {
    const key = keyOf('query', text);
    let vector = this.vectors.get(key);
    if (!vector) {
      vector = await this.inner.embedQuery(text);
      this.remember(key, vector);
    }
    return vector;
  }

  async embedPassages(texts: readonly string[]): Promise<Float32Array[]> {
    const keys = texts.map((text) => keyOf('passage', text));
    const missing = texts.filter((_, i) => !this.vectors.has(keys[i]!));
    const fresh = missing.length > 0 ? await this.inner.embedPassages(missing) : [];
    let next = 0;
    return keys.map((key) => {
      const known = this.vectors.get(key);
      if (known) return known;
      const vector = fresh[next++]!;
      this.remember(key, vector);
      return vector;
    });
  }

  /** Writes the file if anything was added: 32-byte key, 4-byte length, the floats; written whole, then renamed. */
  save(): void {
    if (this.added === 0) return;
    const parts: Buffer[] = [];
    for (const [key, vector] of this.vectors) {
      const length = Buffer.alloc(4);
      length.writeUInt32LE(vector.length);
      parts.push(Buffer.from(key, 'hex'), length, Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength));
    }
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.writeFileSync(`${this.file}.tmp`, Buffer.concat(parts));
    fs.renameSync(`${this.file}.tmp`, this.file);
  }

  private read(bytes: Buffer): void {
    for (let at = 0; at < bytes.length;) {
      const key = bytes.subarray(at, at + 32).toString('hex');
      const length = bytes.readUInt32LE(at + 32);
      const vector = new Float32Array(length);
      for (let d = 0; d < length; d++) vector[d] = bytes.readFloatLE(at + 36 + 4 * d);
      this.vectors.set(key, vector);
      at += 36 + 4 * length;
    }
  }

  private remember(key: string, vector: Float32Array): void {
    this.vectors.set(key, vector);
    this.added++;
  }
}

function keyOf(kind: 'query' | 'passage', text: string): string {
  return createHash('sha256').update(`${kind}\0${text}`).digest('hex');
}
