import crypto from 'node:crypto';
import type { Embedder } from '../embed/embedder.ts';
import type { DocumentEntry, IndexContents, StoredParagraph } from '../store/generation.ts';
import { VectorIndex, type HnswParams } from '../index/vector-index.ts';
import type { Paragraph } from '../ingest/types.ts';
import { documentKey, type ScopedDocument } from './document-sources.ts';
import { reindexProgress, type ReindexProgress, type ReindexReport } from './types.ts';

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
  const { documents, kept, counts } = diffDocuments(input.documents, input.previous?.manifest.documents ?? {}, now);
  const reusable = input.previousVectors !== null && input.embedder !== null;
  const labels = assignLabels(kept, reusable ? input.previous! : null);
  let vectors: VectorIndex | null = null;
  if (input.embedder) {
    vectors = reusable ? input.previousVectors! : VectorIndex.create(input.embedder.dimension, input.hnsw, Math.max(1024, labels.paragraphs.length));
    await updateVectors(input.embedder, vectors, labels, reusable ? input.previous!.paragraphs : [], (embedded, perSecond) =>
      input.onProgress?.(
        reindexProgress('embedding', {
          documents: kept.length,
          paragraphs: labels.paragraphs.length,
          embedded,
          toEmbed: labels.toEmbed.length,
          embeddingsPerSecond: perSecond,
        }),
      ),
    );
  }
  return {
    paragraphs: labels.paragraphs,
    vectors,
    documents,
    nextLabel: labels.nextLabel,
    counts: { ...counts, paragraphs: labels.paragraphs.length, embedded: input.embedder ? labels.toEmbed.length : 0 },
  };
}

/** The manifest entries of the documents that have paragraphs, and how they differ from the previous ones. */
function diffDocuments(input: readonly SplitDocument[], previous: Readonly<Record<string, DocumentEntry>>, now: string) {
  const documents: Record<string, DocumentEntry> = {};
  const counts = { added: 0, changed: 0, removed: 0, unchanged: 0 };
  const kept: SplitDocument[] = [];
  for (const { document, paragraphs } of input) {
    const key = documentKey(document.scope, document.path);
    const contentHash = sha256(document.bytes ?? document.content);
    const before = previous[key];
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
      ...(paragraphs[0]!.url !== undefined && { url: paragraphs[0]!.url }),
      ...(paragraphs[0]!.slug !== undefined && { slug: paragraphs[0]!.slug }),
      ...(paragraphs[0]!.permalink !== undefined && { permalink: paragraphs[0]!.permalink }),
    };
    kept.push({ document, paragraphs });
  }
  counts.removed = Object.keys(previous).filter((key) => !(key in documents)).length;
  return { documents, kept, counts };
}

interface LabelAssignment {
  readonly paragraphs: StoredParagraph[];
  /** Labels of the previous index that a paragraph kept (with its vector). */
  readonly claimed: ReadonlySet<number>;
  /** New labels whose text is identical to a kept paragraph's: its vector is copied. */
  readonly copies: readonly { readonly label: number; readonly from: number }[];
  readonly toEmbed: StoredParagraph[];
  readonly nextLabel: number;
}

/** Gives each paragraph a label: a previous one with the same hash when free, else a new one. */
function assignLabels(documents: readonly SplitDocument[], previous: IndexContents | null): LabelAssignment {
  const byHash = new Map<string, StoredParagraph[]>();
  for (const paragraph of previous?.paragraphs ?? []) {
    byHash.set(paragraph.hash, [...(byHash.get(paragraph.hash) ?? []), paragraph]);
  }
  let nextLabel = previous ? previous.manifest.nextLabel : 0;
  const claimed = new Set<number>();
  const copies: { label: number; from: number }[] = [];
  const toEmbed: StoredParagraph[] = [];
  const paragraphs: StoredParagraph[] = [];
  for (const { document, paragraphs: parts } of documents) {
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
  return { paragraphs, claimed, copies, toEmbed, nextLabel };
}

/** Copies duplicate vectors, drops those of paragraphs that are gone, and embeds the new ones. */
async function updateVectors(
  embedder: Embedder,
  vectors: VectorIndex,
  labels: LabelAssignment,
  previous: readonly StoredParagraph[],
  onProgress: (embedded: number, perSecond: number) => void,
): Promise<void> {
  for (const copy of labels.copies) vectors.add(copy.label, vectors.vector(copy.from));
  for (const old of previous) if (!labels.claimed.has(old.label)) vectors.remove(old.label);
  await embedAll(embedder, vectors, labels.toEmbed, onProgress);
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

function sha256(content: string | Uint8Array): string {
  return crypto.createHash('sha256').update(content).digest('hex');
}
