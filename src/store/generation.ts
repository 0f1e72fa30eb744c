/** What every index store keeps: generations of paragraphs, their vectors and the manifest that commits them. */
import type { Paragraph } from '../ingest/types.ts';
import type { VectorIndex } from '../index/vector-index.ts';
import type { NewGeneration } from './index-store.ts';

/** A paragraph as the index keeps it: where it came from, plus the label of its vector. */
export interface StoredParagraph extends Paragraph {
  readonly label: number;
  /** "" for the shared documents, else the id of the server the document belongs to. */
  readonly scope: string;
}

export interface DocumentEntry {
  readonly scope: string;
  readonly path: string;
  readonly title: string;
  /** sha256 of the document's decoded content (of its bytes for a PDF or Word file). */
  readonly contentHash: string;
  readonly paragraphs: number;
  readonly indexedAt: string;
  /** The URL the document declares for itself (front matter, canonical link), if any. */
  readonly url?: string;
  /** Its front matter `slug` / `permalink`, for its page on a docs site. */
  readonly slug?: string;
  readonly permalink?: string;
}

/** The commit record of an index: which generation is current and how to check it. */
export interface Manifest {
  readonly formatVersion: number;
  readonly generation: number;
  readonly createdAt: string;
  /** The embedding model of the vectors; null for a keyword-only index. */
  readonly model: { readonly id: string; readonly dimension: number } | null;
  readonly hnsw: { readonly m: number; readonly efConstruction: number; readonly slots: number; readonly deletedSlots: number } | null;
  readonly nextLabel: number;
  readonly paragraphCount: number;
  readonly documents: Readonly<Record<string, DocumentEntry>>;
  /** Checksums of the generation's files, verified at load. */
  readonly files: Readonly<Record<string, { readonly sha256: string; readonly bytes: number }>>;
}

/** Everything needed to answer questions; immutable once published. */
export interface IndexContents {
  readonly manifest: Manifest;
  readonly paragraphs: readonly StoredParagraph[];
  readonly vectors: VectorIndex | null;
}

/** Moments of a write that fault-injection tests crash or fail at. */
export type WriteCheckpoint = 'paragraphs-written' | 'vectors-written' | 'before-manifest';

export type ReadResult =
  | { readonly status: 'missing' }
  | { readonly status: 'corrupt'; readonly reason: string }
  | { readonly status: 'ok'; readonly contents: IndexContents };

/** A running watch; {@link close} stops it (it never keeps a process alive on its own either). */
export interface GenerationWatcher {
  close(): void;
}

/** The manifest of a generation being committed: what the writer gave, plus what the store fills in. */
export function completeManifest(contents: NewGeneration, formatVersion: number, generation: number, files: Manifest['files']): Manifest {
  const { hnsw, ...rest } = contents.manifest;
  return {
    formatVersion,
    generation,
    ...rest,
    hnsw: hnsw && contents.vectors ? { ...hnsw, slots: contents.vectors.slots, deletedSlots: contents.vectors.deletedSlots } : null,
    paragraphCount: contents.paragraphs.length,
    files,
  };
}
