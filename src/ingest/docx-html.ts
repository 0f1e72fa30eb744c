import mammoth from 'mammoth';
import { checkZipInflation } from './zip-inflation.ts';

/**
 * The most a Word file's parts (its XML: text, styles, numbering, notes) may inflate to. Real documents' XML is a
 * few MiB; a zip bomb's is gigabytes. Images are not read at all.
 */
const MAX_INFLATED_BYTES = 64 * 1024 * 1024;

/** Pictures and embedded files: never inflated, since passages are text. */
const isMedia = (name: string) => /^word\/(media|embeddings)\//i.test(name);

/**
 * A Word (.docx) file as HTML, by mammoth: headings become `<h1>`–`<h6>`, so the HTML reader makes them sections.
 * Images are dropped without being read, and linked files are never fetched. Throws an UnreadableDocument for a
 * file that is not a Word document or that would inflate beyond the limit.
 */
export async function docxToHtml(bytes: Uint8Array): Promise<string> {
  checkZipInflation(bytes, MAX_INFLATED_BYTES, (name) => !isMedia(name) && !name.endsWith('/'));
  const result = await mammoth.convertToHtml(
    { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
    { convertImage: mammoth.images.imgElement(async () => ({ src: '' })), externalFileAccess: false },
  );
  return result.value;
}
