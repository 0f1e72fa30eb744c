import type { Block, DocumentBlocks } from './block.ts';
import { collapseWhitespace, concatMapped, fromSource, sliceMapped, type MappedText } from './mapped-text.ts';

/** One line of text on a PDF page, as its text items were laid out. */
export interface PdfLine {
  readonly text: string;
  /** Left edge and baseline, in PDF units (y grows upwards). */
  readonly x: number;
  readonly y: number;
  /** Font size (the text's height). */
  readonly size: number;
}

/** A heading is set at least this much larger than the body text. */
const HEADING_RATIO = 1.15;
/** A gap between lines over this many times the usual line step starts a new paragraph. */
const PARAGRAPH_GAP_RATIO = 1.4;
/** A line starting this many font sizes right of the line above starts a new paragraph (a first-line indent). */
const INDENT_RATIO = 0.8;
/** A heading of more lines than this is body text set large, not a heading. */
const MAX_HEADING_LINES = 3;
/** Top and bottom lines of a page looked at for running headers and footers. */
const EDGE_LINES = 2;

/**
 * Turns the lines of a PDF's pages into blocks: running headers and footers (the same text, page numbers aside,
 * at the top or bottom of most pages) are dropped; lines set clearly larger than the body are headings and name
 * the section of what follows; the rest is cut into paragraphs where the gap between lines grows or a line is
 * indented; a word hyphenated at a line end is joined ("pan-" + "el": "panel"; "pre-" + "2020": "pre-2020"). Every block carries the page it starts on. The block text
 * maps into `content`, the pages' lines joined by "\n" and the pages by "\f".
 */
export function pdfLayoutBlocks(pages: readonly (readonly PdfLine[])[]): DocumentBlocks & { content: string } {
  const running = runningLines(pages);
  const bodySize = mostCommonSize(pages);
  const step = usualLineStep(pages, bodySize);
  const blocks: Block[] = [];
  const contentParts: string[] = [];
  let offset = 0;
  let title: string | undefined;
  let section = '';
  pages.forEach((lines, pageIndex) => {
    const page = pageIndex + 1;
    const placed = lines.map((line) => {
      const start = offset;
      contentParts.push(line.text, '\n');
      offset += line.text.length + 1;
      return { ...line, start };
    });
    contentParts.push('\f');
    offset += 1;
    const keys = edgeKeys(lines);
    const body = placed.filter((line, i) => !running.has(keys[i]!) && line.text.trim() !== '');
    let paragraph: (typeof body)[number][] = [];
    let heading: (typeof body)[number][] = [];
    const flushParagraph = () => {
      if (paragraph.length > 0) {
        const text = collapseWhitespace(joinLines(paragraph));
        if (text.text !== '') blocks.push({ ...text, section, layout: 'prose', page });
      }
      paragraph = [];
    };
    const flushHeading = () => {
      if (heading.length === 0) return;
      if (heading.length > MAX_HEADING_LINES) {
        paragraph = heading;
        heading = [];
        flushParagraph();
        return;
      }
      section = collapseWhitespace(joinLines(heading)).text;
      title ??= section;
      heading = [];
    };
    body.forEach((line, i) => {
      const previous = body[i - 1];
      if (line.size >= bodySize * HEADING_RATIO) {
        flushParagraph();
        if (heading.length > 0 && (Math.abs(heading.at(-1)!.size - line.size) > 0.5 || startsParagraph(heading.at(-1)!, line, step * (line.size / bodySize)))) flushHeading();
        heading.push(line);
        return;
      }
      flushHeading();
      if (previous && paragraph.length > 0 && startsParagraph(previous, line, step)) flushParagraph();
      paragraph.push(line);
    });
    flushHeading();
    flushParagraph();
  });
  return { title, blocks, content: contentParts.join('') };
}

/** Whether `line` starts a new paragraph after `previous`: a wider gap, a first-line indent, or a jump up. */
function startsParagraph(previous: PdfLine, line: PdfLine, step: number): boolean {
  const gap = previous.y - line.y;
  return gap <= 0 || gap > step * PARAGRAPH_GAP_RATIO || line.x > previous.x + line.size * INDENT_RATIO;
}

/** The lines of one paragraph as one text: a break becomes a space, a word hyphenated across it is joined. */
function joinLines(lines: readonly (PdfLine & { start: number })[]): MappedText {
  const parts: MappedText[] = [];
  lines.forEach((line, i) => {
    const mapped = fromSource(line.text, line.start);
    const next = lines[i + 1];
    if (!next) return parts.push(mapped);
    const trimmed = line.text.trimEnd();
    if (/\p{L}[-\u00ad]$/u.test(trimmed)) {
      // "pan-" + "el" → "panel": a word hyphenated by the layout; "pre-" + "2020" → "pre-2020": a hyphen of its own.
      const split = /^\s*\p{Ll}/u.test(next.text) || trimmed.endsWith('\u00ad');
      parts.push(sliceMapped(mapped, 0, trimmed.length - (split ? 1 : 0)));
      return;
    }
    parts.push(mapped, fromSource(' ', line.start + line.text.length, next.start));
  });
  return concatMapped(parts);
}

/**
 * For each line, its key when it is among the top or bottom lines of its page (by position, not content order):
 * its text with digits masked ("Page 3 of 9" = "Page 4 of 9") and its edge; "" for the other lines.
 */
function edgeKeys(lines: readonly PdfLine[]): string[] {
  const order = lines.map((line, index) => ({ line, index })).filter(({ line }) => line.text.trim() !== '');
  order.sort((a, b) => b.line.y - a.line.y);
  const keys = lines.map(() => '');
  const mark = (index: number, edge: string) => {
    keys[index] ||= `${edge}:${lines[index]!.text.replace(/\d+/g, '#').replace(/\s+/g, ' ').trim().toLowerCase()}`;
  };
  order.slice(0, EDGE_LINES).forEach(({ index }) => mark(index, 'top'));
  order.slice(-EDGE_LINES).forEach(({ index }) => mark(index, 'bottom'));
  return keys;
}

/**
 * Keys of the edge lines repeated on at least half the pages (and on two at least): running headers, footers and
 * page numbers. A one-page document has none.
 */
function runningLines(pages: readonly (readonly PdfLine[])[]): Set<string> {
  const pagesWith = new Map<string, number>();
  for (const lines of pages) {
    const keys = new Set(edgeKeys(lines).filter((key) => key !== ''));
    for (const key of keys) pagesWith.set(key, (pagesWith.get(key) ?? 0) + 1);
  }
  const needed = Math.max(2, Math.ceil(pages.length / 2));
  return new Set([...pagesWith].filter(([, count]) => count >= needed).map(([key]) => key));
}

/** The font size most of the text is set in. */
function mostCommonSize(pages: readonly (readonly PdfLine[])[]): number {
  const characters = new Map<number, number>();
  for (const line of pages.flat()) {
    const size = Math.round(line.size * 2) / 2;
    characters.set(size, (characters.get(size) ?? 0) + line.text.length);
  }
  return [...characters].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 0;
}

/**
 * The usual distance between consecutive lines of a paragraph: the lower quartile of the steps between body
 * lines (paragraph gaps are the larger ones), else 1.2 times the body size.
 */
function usualLineStep(pages: readonly (readonly PdfLine[])[], bodySize: number): number {
  const steps: number[] = [];
  for (const lines of pages) {
    for (let i = 1; i < lines.length; i++) {
      const gap = lines[i - 1]!.y - lines[i]!.y;
      if (gap > 0 && Math.abs(lines[i]!.size - bodySize) < 0.5 && Math.abs(lines[i - 1]!.size - bodySize) < 0.5) steps.push(gap);
    }
  }
  steps.sort((a, b) => a - b);
  return steps[Math.floor(steps.length / 4)] ?? bodySize * 1.2;
}
