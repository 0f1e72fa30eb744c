import fs from 'node:fs';
import path from 'node:path';
import { VectorIndex, type HnswParams } from '../../index/vector-index.ts';
import { fsyncFile, fsyncFolder, sha256File, writeFileAtomic } from '../atomic-file.ts';
import type { IndexContents, Manifest, ReadResult, StoredParagraph, WriteCheckpoint } from '../generation.ts';

/** Bumped whenever the on-disk layout changes; a newer manifest than this is rebuilt, never misread. */
export const FORMAT_VERSION = 1;

/** The commit record's file name in an index folder; replacing it commits a generation. */
export const MANIFEST_FILE = 'manifest.json';
const MANIFEST = MANIFEST_FILE;
const PARAGRAPHS = 'paragraphs.json';
const VECTORS = 'vectors.hnsw';
const generationFolder = (generation: number) => `gen-${String(generation).padStart(6, '0')}`;

/**
 * Reads the current generation and checks it against its manifest: format version, checksums and counts. Any
 * mismatch is reported as `corrupt` with a one-line reason; nothing is deleted here.
 *
 * Another process may commit a newer generation and delete this one while it is being read (readers take no
 * lock): a read that fails while the manifest moved on is retried with the new manifest.
 */
export function readIndex(indexDir: string, params: HnswParams): ReadResult {
  for (let attempt = 1; ; attempt++) {
    const { result, generation } = readCurrentGeneration(indexDir, params);
    const movedOn = result.status === 'corrupt' && generation !== undefined && readCommittedGeneration(indexDir) !== generation;
    if (!movedOn || attempt >= READ_ATTEMPTS) return result;
  }
}

/** How often a read chases generations replaced under it before it reports the last failure. */
const READ_ATTEMPTS = 5;

/**
 * The generation the manifest names now, without reading or checking the generation itself (cheap enough to
 * poll); null when there is no readable manifest.
 */
export function readCommittedGeneration(indexDir: string): number | null {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(indexDir, MANIFEST), 'utf8')) as Partial<Manifest> | null;
    return typeof manifest?.generation === 'number' ? manifest.generation : null;
  } catch {
    return null;
  }
}

function readCurrentGeneration(indexDir: string, params: HnswParams): { result: ReadResult; generation?: number } {
  const manifestFile = path.join(indexDir, MANIFEST);
  if (!fs.existsSync(manifestFile)) return { result: { status: 'missing' } };
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
  } catch (error) {
    return { result: corrupt(`${manifestFile} is not valid JSON`) };
  }
  if (typeof manifest !== 'object' || manifest === null || typeof manifest.formatVersion !== 'number') {
    return { result: corrupt(`${manifestFile} is not an index manifest`) };
  }
  if (manifest.formatVersion !== FORMAT_VERSION) {
    return { result: corrupt(`${manifestFile} has format version ${manifest.formatVersion}; this version reads ${FORMAT_VERSION}`) };
  }
  const { generation } = manifest;
  try {
    return { result: readGeneration(indexDir, manifest, params), generation };
  } catch (error) {
    // A file that vanished between the checks and the read, most likely: the caller decides whether to retry.
    return { result: corrupt(`generation ${generation} cannot be read (${(error as Error).message})`), generation };
  }
}

function readGeneration(indexDir: string, manifest: Manifest, params: HnswParams): ReadResult {
  const manifestFile = path.join(indexDir, MANIFEST);
  const folder = path.join(indexDir, generationFolder(manifest.generation));
  for (const [name, expected] of Object.entries(manifest.files ?? {})) {
    const file = path.join(folder, name);
    if (!fs.existsSync(file)) return corrupt(`${file} is missing`);
    if (fs.statSync(file).size !== expected.bytes || sha256File(file) !== expected.sha256) {
      return corrupt(`${file} does not match its checksum (truncated or modified)`);
    }
  }
  if (!manifest.files?.[PARAGRAPHS]) return corrupt(`${manifestFile} lists no paragraph store`);
  const paragraphs = JSON.parse(fs.readFileSync(path.join(folder, PARAGRAPHS), 'utf8')) as StoredParagraph[];
  if (paragraphs.length !== manifest.paragraphCount) {
    return corrupt(`paragraph store has ${paragraphs.length} paragraphs, the manifest says ${manifest.paragraphCount}`);
  }
  let vectors: VectorIndex | null = null;
  if (manifest.model && manifest.hnsw) {
    if (!manifest.files[VECTORS]) return corrupt(`${manifestFile} lists no vector index`);
    try {
      vectors = VectorIndex.read(path.join(folder, VECTORS), manifest.model.dimension, params, manifest.hnsw.deletedSlots);
    } catch (error) {
      return corrupt(`${path.join(folder, VECTORS)} cannot be read (${(error as Error).message})`);
    }
    if (vectors.slots !== manifest.hnsw.slots || vectors.size !== paragraphs.length) {
      return corrupt(`vector index holds ${vectors.size} vectors for ${paragraphs.length} paragraphs`);
    }
  }
  return { status: 'ok', contents: { manifest, paragraphs, vectors } };
}

function corrupt(reason: string): ReadResult {
  return { status: 'corrupt', reason };
}

/** Reads just the vector file of the current generation again, as a private copy a reindex can modify. */
export function readVectorsCopy(indexDir: string, manifest: Manifest, params: HnswParams): VectorIndex | null {
  if (!manifest.model || !manifest.hnsw) return null;
  const file = path.join(indexDir, generationFolder(manifest.generation), VECTORS);
  return VectorIndex.read(file, manifest.model.dimension, params, manifest.hnsw.deletedSlots);
}

/**
 * Writes a new generation beside the current one, then commits it by replacing the manifest atomically. A crash
 * before the manifest rename leaves the previous generation current; after it, the new one. Older generation
 * folders (and leftovers of interrupted writes) are removed once the new one is committed.
 */
export function writeIndex(
  indexDir: string,
  contents: Omit<IndexContents, 'manifest'> & {
    readonly manifest: Omit<Manifest, 'files' | 'generation' | 'formatVersion' | 'hnsw' | 'paragraphCount'> & {
      readonly hnsw: { readonly m: number; readonly efConstruction: number } | null;
    };
  },
  previousGeneration: number,
  checkpoint: (point: WriteCheckpoint) => void = () => {},
): Manifest {
  fs.mkdirSync(indexDir, { recursive: true });
  const generation = Math.max(previousGeneration, latestGenerationOnDisk(indexDir)) + 1;
  const folder = path.join(indexDir, generationFolder(generation));
  fs.mkdirSync(folder, { recursive: true });

  writeFileAtomic(path.join(folder, PARAGRAPHS), JSON.stringify(contents.paragraphs));
  checkpoint('paragraphs-written');
  const files: Record<string, { sha256: string; bytes: number }> = {};
  const vectorsFile = path.join(folder, VECTORS);
  if (contents.vectors) {
    contents.vectors.write(vectorsFile);
    fsyncFile(vectorsFile);
  }
  fsyncFolder(folder);
  checkpoint('vectors-written');
  for (const name of contents.vectors ? [PARAGRAPHS, VECTORS] : [PARAGRAPHS]) {
    const file = path.join(folder, name);
    files[name] = { sha256: sha256File(file), bytes: fs.statSync(file).size };
  }
  const { hnsw, ...rest } = contents.manifest;
  const manifest: Manifest = {
    formatVersion: FORMAT_VERSION,
    generation,
    ...rest,
    hnsw: hnsw && contents.vectors ? { ...hnsw, slots: contents.vectors.slots, deletedSlots: contents.vectors.deletedSlots } : null,
    paragraphCount: contents.paragraphs.length,
    files,
  };
  checkpoint('before-manifest');
  writeFileAtomic(path.join(indexDir, MANIFEST), JSON.stringify(manifest, null, 2));
  removeOtherGenerations(indexDir, generation);
  return manifest;
}

function latestGenerationOnDisk(indexDir: string): number {
  return fs
    .readdirSync(indexDir)
    .map((name) => /^gen-(\d+)$/.exec(name)?.[1])
    .reduce((latest, digits) => (digits ? Math.max(latest, Number(digits)) : latest), 0);
}

function removeOtherGenerations(indexDir: string, keep: number): void {
  for (const name of fs.readdirSync(indexDir)) {
    if (/^gen-\d+$/.test(name) && name !== generationFolder(keep)) {
      fs.rmSync(path.join(indexDir, name), { recursive: true, force: true });
    }
  }
}
