/**
 * Child process for concurrent-reader tests: commits `argv[3]` keyword-only generations to the index folder
 * `argv[2]` as fast as it can (each commit deletes the previous generation's folder), printing "started" first.
 * Run: node --import tsx test/support/commit-loop-child.ts <indexDir> <count>
 */
import { writeIndex } from '../../src/store/file-store/index-storage.ts';
import type { StoredParagraph } from '../../src/store/generation.ts';

const [indexDir, count] = [process.argv[2]!, Number(process.argv[3])];
const paragraphs: StoredParagraph[] = Array.from({ length: 3000 }, (_, label) => {
  const text = `Paragraph ${label} about ferries, harbours and the tide tables of the northern coast.`;
  return { label, scope: '', text, title: 'Ferries', section: '', document: 'ferries.md', ordinal: label + 1, start: 0, end: text.length, hash: String(label) };
});
process.stdout.write('started\n');
let generation = 0;
for (let i = 0; i < count; i++) {
  const manifest = { createdAt: new Date().toISOString(), model: null, hnsw: null, nextLabel: paragraphs.length, documents: {} };
  generation = writeIndex(indexDir, { paragraphs, vectors: null, manifest }, generation).generation;
}
