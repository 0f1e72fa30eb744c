import type { DocumentBlocks } from './block.ts';
import { pdfLayoutBlocks, type PdfLine } from './pdf-layout.ts';
import { UnreadableDocument } from './unreadable-document.ts';

/** What pdfjs reports for one run of text (the part of its TextItem read here). */
interface TextItem {
  readonly str: string;
  readonly transform: readonly number[];
  readonly width: number;
  readonly hasEOL: boolean;
}

/** Below this share of a font size, the space between two items on a line is kerning, not a word break. */
const WORD_GAP_RATIO = 0.15;

/**
 * Reads a PDF's text layer with Mozilla's pdfjs (its legacy build, for Node), page by page, into blocks that carry
 * their page (see {@link pdfLayoutBlocks}). Throws {@link UnreadableDocument} for a PDF that is not one, is
 * encrypted, or has no text layer (scanned pages); run it where its time and memory can be bounded (the splitting
 * process), since a hostile PDF can cost both.
 */
export async function pdfBlocks(bytes: Uint8Array): Promise<DocumentBlocks & { content: string }> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // pdfjs may transfer (detach) the buffer it is given: hand it a copy.
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    enableXfa: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  try {
    let pdf;
    try {
      pdf = await task.promise;
    } catch (error) {
      const name = (error as Error | undefined)?.name;
      if (name === 'PasswordException') throw new UnreadableDocument('password-protected PDF; save it without a password to index it');
      throw new UnreadableDocument(`not a readable PDF (${(error as Error | undefined)?.message ?? String(error)})`);
    }
    const pages: PdfLine[][] = [];
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      pages.push(linesOf(content.items.filter((item): item is TextItem & typeof item => 'str' in item)));
      page.cleanup();
    }
    if (!pages.some((lines) => lines.some((line) => line.text.trim() !== ''))) {
      const held = pages.length === 1 ? 'its page holds' : `its ${pages.length} pages hold`;
      throw new UnreadableDocument(`PDF has no text layer: ${held} no text (a scanned document?); run OCR on it to index it`);
    }
    return pdfLayoutBlocks(pages);
  } finally {
    await task.destroy();
  }
}

/** The page's text items as lines: a line ends at an item marked end-of-line or where the baseline moves. */
function linesOf(items: readonly TextItem[]): PdfLine[] {
  const lines: PdfLine[] = [];
  let current: { text: string; x: number; y: number; size: number; end: number } | undefined;
  let lineEnded = true;
  for (const item of items) {
    const [a = 0, b = 0, , , x = 0, y = 0] = item.transform;
    const size = Math.hypot(a, b);
    if (item.str === '') {
      if (item.hasEOL) lineEnded = true;
      continue;
    }
    if (!current || lineEnded || Math.abs(current.y - y) > Math.max(current.size, size) * 0.3) {
      if (current) lines.push(current);
      current = { text: item.str, x, y, size, end: x + item.width };
    } else {
      const gap = x - current.end;
      const spaced = /\s$/.test(current.text) || /^\s/.test(item.str);
      current.text += !spaced && gap > size * WORD_GAP_RATIO ? ` ${item.str}` : item.str;
      current.end = x + item.width;
      current.size = Math.max(current.size, size);
    }
    lineEnded = item.hasEOL;
  }
  if (current) lines.push(current);
  return lines.map(({ text, x, y, size }) => ({ text, x, y, size }));
}
