import type { Block, DocumentBlocks } from './block.ts';
import { isBlank, splitLines, type Line } from './lines.ts';
import { collapseWhitespace, fromSource } from './mapped-text.ts';

/** Plain text: paragraphs are separated by blank lines; there are no headings, so no sections and no title. */
export function textBlocks(content: string): DocumentBlocks {
  const blocks: Block[] = [];
  let paragraph: Line[] = [];
  for (const line of [...splitLines(content), undefined]) {
    if (line !== undefined && !isBlank(line)) {
      paragraph.push(line);
      continue;
    }
    const first = paragraph[0];
    const last = paragraph.at(-1);
    if (first && last) {
      const end = last.start + last.text.length;
      const text = collapseWhitespace(fromSource(content.slice(first.start, end), first.start));
      blocks.push({ ...text, section: '', layout: 'prose' });
    }
    paragraph = [];
  }
  return { title: undefined, blocks };
}
