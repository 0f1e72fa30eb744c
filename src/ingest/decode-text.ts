/** A file's bytes as text, or why they are not text ingestion can read (one line, for the admin). */
export type DecodedText = { readonly text: string } | { readonly reason: string };

const BOMS: readonly { readonly bytes: readonly number[]; readonly encoding: 'utf-8' | 'utf-16le' | 'utf-16be' }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

/**
 * Decodes a document: UTF-16 (LE or BE) when it starts with that byte-order mark, else UTF-8 (a UTF-8 BOM is
 * dropped too). Invalid sequences are reported rather than becoming U+FFFD, and so is text holding NUL, which no
 * text file does: a binary file, or UTF-16 saved without a BOM (told apart, since the fix differs).
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes.length === 0) return { reason: 'empty file' };
  const bom = BOMS.find((candidate) => candidate.bytes.every((byte, i) => bytes[i] === byte));
  const encoding = bom?.encoding ?? 'utf-8';
  if (!bom && bytes.includes(0)) {
    return looksLikeUtf16(bytes)
      ? { reason: 'UTF-16 text without a byte-order mark; save it as UTF-8 (or UTF-16 with a BOM)' }
      : { reason: 'binary file (contains NUL bytes), not text' };
  }
  let text: string;
  try {
    // fatal: invalid input throws; the BOM itself is dropped (ignoreBOM is false).
    text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return { reason: encoding === 'utf-8' ? 'not valid UTF-8 text' : `not valid ${encoding === 'utf-16le' ? 'UTF-16 LE' : 'UTF-16 BE'} text despite its byte-order mark` };
  }
  if (text.includes('\u0000')) return { reason: 'binary file (contains NUL characters), not text' };
  if (text.trim() === '') return { reason: text === '' ? 'empty file' : 'empty file (only whitespace)' };
  return { text };
}

/** Mostly-ASCII UTF-16 has a NUL in every other byte: in over 90% of the even, or of the odd, positions. */
function looksLikeUtf16(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 4096);
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] !== 0) continue;
    if (i % 2 === 0) evenNuls++;
    else oddNuls++;
  }
  const pairs = Math.floor(sample.length / 2);
  return pairs > 0 && Math.max(evenNuls, oddNuls) > pairs * 0.9 && Math.min(evenNuls, oddNuls) < pairs * 0.1;
}
