import { createHash } from 'node:crypto';
import type { Block } from './block.ts';
import { countCjkCharacters, isCjkCharacter } from './cjk.ts';
import { splitToTokenLimit } from './fit-to-token-limit.ts';
import { concatMapped, fromSource, sliceMapped, sourceSpan } from './mapped-text.ts';
import type { Paragraph, TokenCounter } from './types.ts';

/** Below these sizes a block is a fragment ("Note:", a lone short line) rather than an answer of its own. */
const MIN_CHARACTERS = 40;
const MIN_WORDS = 5;
const MIN_CJK_CHARACTERS = 12;

/** Which document the paragraphs belong to. */
export interface ParagraphSource {
  readonly document: string;
  readonly title: string;
  readonly slug?: string;
  readonly permalink?: string;
  readonly url?: string;
}

/**
 * Turns a document's blocks into its paragraphs: a fragment joins the next block of its section (the previous one
 * when it is the last), a block over the token limit is cut into chunks that fit, and every paragraph is numbered
 * from 1 and hashed.
 */
export function blocksToParagraphs(
  blocks: readonly Block[],
  source: ParagraphSource,
  counter: TokenCounter,
): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  for (const block of joinFragments(blocks)) {
    for (const range of splitToTokenLimit(block.text, counter)) {
      const chunk = sliceMapped(block, range.start, range.end);
      paragraphs.push({
        document: source.document,
        title: source.title,
        section: block.section,
        ordinal: paragraphs.length + 1,
        ...sourceSpan(chunk),
        text: chunk.text,
        ...(block.anchor !== undefined && { anchor: block.anchor }),
        ...(block.page !== undefined && { page: block.page }),
        ...(source.slug !== undefined && { slug: source.slug }),
        ...(source.permalink !== undefined && { permalink: source.permalink }),
        ...(source.url !== undefined && { url: source.url }),
        hash: createHash('sha256').update(chunk.text).digest('hex'),
      });
    }
  }
  return paragraphs;
}

/** Whether `text` is too short to be a paragraph of its own. */
function isFragment(text: string): boolean {
  const visible = text.replace(/\s+/g, '');
  const cjk = countCjkCharacters(visible);
  if (cjk * 3 >= visible.length) return visible.length < MIN_CJK_CHARACTERS;
  return text.length < MIN_CHARACTERS || text.split(/\s+/).length < MIN_WORDS;
}

/** Whether two blocks may be joined: same section, and same container (an admonition stays on its own). */
function together(a: Block, b: Block): boolean {
  return a.section === b.section && a.group === b.group;
}

/**
 * Joins each fragment to its neighbour within the same section and container; headings (section changes) and
 * admonition edges are never crossed.
 */
function joinFragments(blocks: readonly Block[]): Block[] {
  const joined: Block[] = [];
  let pending: Block | undefined;
  blocks.forEach((block, index) => {
    const current = pending ? joinBlocks(pending, block) : block;
    pending = undefined;
    const next = blocks[index + 1];
    const previous = joined.at(-1);
    if (!isFragment(current.text)) joined.push(current);
    else if (next && together(next, current)) pending = current;
    else if (previous && together(previous, current)) joined[joined.length - 1] = joinBlocks(previous, current);
    else joined.push(current);
  });
  return joined;
}

/** One block made of two; the separator between them is mapped to the gap between their sources. */
function joinBlocks(first: Block, second: Block): Block {
  const prose = first.layout === 'prose' && second.layout === 'prose';
  // Chinese/Japanese prose runs on without a space; everything else gets a space, or a line break next to a list.
  const cjkJoin = isCjkCharacter(first.text.at(-1)) && isCjkCharacter(second.text[0]);
  const separator = !prose ? '\n' : cjkJoin ? '' : ' ';
  const gap = fromSource(separator, sourceSpan(first).end, sourceSpan(second).start);
  return {
    ...concatMapped([first, gap, second]),
    section: first.section,
    layout: prose ? 'prose' : 'lines',
    ...(first.anchor !== undefined && { anchor: first.anchor }),
    ...((first.page ?? second.page) !== undefined && { page: first.page ?? second.page }),
    ...(first.group !== undefined && { group: first.group }),
  };
}
