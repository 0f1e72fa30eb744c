import crypto from 'node:crypto';
import type { Embedder } from '../embed/embedder.ts';
import type { DocumentEntry, IndexContents, StoredParagraph } from '../index/index-storage.ts';
import { VectorIndex, type HnswParams } from '../index/vector-index.ts';
import type { Paragraph } from '../ingest/types.ts';
import { documentKey, type ScopedDocument } from './document-sources.ts';

export interface ReindexProgress {
  readonly phase: 'reading' | 'embedding' | 'writing' | 'done';
  readonly documents: number;
  readonly paragraphs: number;
  /** Paragraphs embedded so far in this run, and how many need it in all. */
  readonly embedded: number;
  readonly toEmbed: number;
  readonly embeddingsPerSecond: number;
}

/** What a reindex changed, for the CLI and the `/reindex` reply. */
export interface ReindexReport {
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  readonly unchanged: number;
  readonly paragraphs: number;
  /** Paragraphs sent to the model; 0 for an unchanged corpus. */
  readonly embedded: number;
  readonly skipped: readonly { readonly path: string; readonly reason: string }[];
  readonly rebuilt: boolean;
  readonly seconds: number;
}

export interface BuildInput {
  /** The current index when its vectors can be reused (same model and HNSW parameters); null for a full build. */
  readonly previous: IndexContents | null;
  /** A private, modifiable copy of the previous vectors (never the copy that is answering questions). */
  readonly previousVectors: VectorIndex | null;
  /** The documents, already split into paragraphs (see IsolatedSplitter). */
  readonly documents: readonly SplitDocument[];
  /** null builds a keyword-only index. */
  readonly embedder: Embedder | null;
  readonly hnsw: HnswParams;
  readonly onProgress?: (progress: ReindexProgress) => void;
  readonly now?: () => Date;
}

/** A document and its paragraphs. */
export interface SplitDocument {
  readonly document: ScopedDocument;
  readonly paragraphs: readonly Paragraph[];
}

export interface BuiltIndex {
  readonly paragraphs: StoredParagraph[];
  readonly vectors: VectorIndex | null;
  readonly documents: Record<string, DocumentEntry>;
  readonly nextLabel: number;
  readonly counts: Pick<ReindexReport, 'added' | 'changed' | 'removed' | 'unchanged' | 'paragraphs' | 'embedded'>;
}

const EMBED_CHUNK = 64;

/**
 * Computes the next index from the documents, re-embedding only paragraphs whose text is new: a paragraph whose
 * hash is already in the previous index keeps its vector (and label), wherever it moved.
 */
export async function buildIndex(input: BuildInput): Promise<BuiltIndex> {
  const now = (input.now ?? (() => new Date()))().toISOString();
  const previousDocuments = input.previous?.manifest.documents ?? {};
  const documents: Record<string, DocumentEntry> = {};
  const counts = { added: 0, changed: 0, removed: 0, unchanged: 0 };
  const split: SplitDocument[] = [];

  for (const { document, paragraphs } of input.documents) {
    const key = documentKey(document.scope, document.path);
    const contentHash = sha256(document.content);
    const before = previousDocuments[key];
    if (paragraphs.length === 0) continue;
    if (!before) counts.added++;
    else if (before.contentHash !== contentHash) counts.changed++;
    else counts.unchanged++;
    documents[key] = {
      scope: document.scope,
      path: document.path,
      title: paragraphs[0]!.title,
      contentHash,
      paragraphs: paragraphs.length,
      indexedAt: before?.contentHash === contentHash ? before.indexedAt : now,
    };
    split.push({ document, paragraphs });
  }
  counts.removed = Object.keys(previousDocuments).filter((key) => !(key in documents)).length;

  const reusable = input.previousVectors !== null && input.embedder !== null;
  const byHash = new Map<string, StoredParagraph[]>();
  if (reusable) {
    for (const paragraph of input.previous!.paragraphs) {
      byHash.set(paragraph.hash, [...(byHash.get(paragraph.hash) ?? []), paragraph]);
    }
  }
  let nextLabel = reusable ? input.previous!.manifest.nextLabel : 0;
  const claimed = new Set<number>();
  const copies: { label: number; from: number }[] = [];
  const toEmbed: StoredParagraph[] = [];
  const paragraphs: StoredParagraph[] = [];
  for (const { document, paragraphs: parts } of split) {
    for (const part of parts) {
      const same = byHash.get(part.hash) ?? [];
      const free = same.find((old) => !claimed.has(old.label));
      const label = free ? free.label : nextLabel++;
      claimed.add(label);
      const stored: StoredParagraph = { ...part, label, scope: document.scope };
      paragraphs.push(stored);
      if (free) continue;
      // Identical text elsewhere (a duplicate paragraph): copy its vector instead of asking the model again.
      if (same.length > 0) copies.push({ label, from: same[0]!.label });
      else toEmbed.push(stored);
    }
  }

  let vectors: VectorIndex | null = null;
  if (input.embedder) {
    vectors = reusable ? input.previousVectors! : VectorIndex.create(input.embedder.dimension, input.hnsw, Math.max(1024, paragraphs.length));
    for (const copy of copies) vectors.add(copy.label, vectors.vector(copy.from));
    if (reusable) {
      for (const old of input.previous!.paragraphs) if (!claimed.has(old.label)) vectors.remove(old.label);
    }
    await embedAll(input.embedder, vectors, toEmbed, (embedded, perSecond) =>
      input.onProgress?.({
        phase: 'embedding',
        documents: split.length,
        paragraphs: paragraphs.length,
        embedded,
        toEmbed: toEmbed.length,
        embeddingsPerSecond: perSecond,
      }),
    );
  }
  return {
    paragraphs,
    vectors,
    documents,
    nextLabel,
    counts: { ...counts, paragraphs: paragraphs.length, embedded: input.embedder ? toEmbed.length : 0 },
  };
}

async function embedAll(
  embedder: Embedder,
  vectors: VectorIndex,
  paragraphs: readonly StoredParagraph[],
  onProgress: (embedded: number, perSecond: number) => void,
): Promise<void> {
  const started = performance.now();
  onProgress(0, 0);
  for (let start = 0; start < paragraphs.length; start += EMBED_CHUNK) {
    const chunk = paragraphs.slice(start, start + EMBED_CHUNK);
    const embedded = await embedder.embedPassages(chunk.map((paragraph) => paragraph.text));
    chunk.forEach((paragraph, i) => vectors.add(paragraph.label, embedded[i]!));
    const done = start + chunk.length;
    onProgress(done, done / ((performance.now() - started) / 1000));
  }
}

function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}
