import type { Block, BlockLayout, DocumentBlocks } from './block.ts';
import { indentWidth, isBlank, splitLines, type Line } from './lines.ts';
import { collapseWhitespace, concatMapped, fromSource, tidyLines, type MappedText } from './mapped-text.ts';

// A pragmatic subset of CommonMark: enough to find headings, keep lists/code/tables whole and quote prose cleanly.
// Every pattern here runs in time linear in its line, whatever the line holds (issue 15): none is unanchored with a
// quantifier that can fail after a long scan, and the heading's text and closing #s are cut by hand.
const ATX_HEADING = /^ {0,3}(#{1,6})(?=[ \t]|$)/;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/;
// `s`: a line may hold U+2028, which `.` would refuse, making `(.*)$` backtrack over every backtick.
const FENCE_OPENING = /^ {0,3}(`{3,}|~{3,})(.*)$/s;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const LIST_ITEM = /^ {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)/;
const TABLE_ROW = /^ {0,3}\|/;
const BLOCKQUOTE_MARKER = /^ {0,3}> ?/;
const CODE_INDENT = /^(?: {4}| {0,3}\t)/;
const YAML_KEY = /^[\w-]+[ \t]*:/;

interface Heading {
  readonly level: number;
  readonly text: string;
}

/**
 * Markdown: ATX and setext headings become the section of the blocks under them (and the first level-1 heading,
 * else the first heading, the title); lists, fenced or indented code and tables are kept whole with their line
 * breaks; other text forms prose paragraphs, blockquote markers removed. YAML front matter is ignored.
 */
export function markdownBlocks(content: string): DocumentBlocks {
  const lines = splitLines(content);
  const blocks: Block[] = [];
  const headings: Heading[] = [];
  let section = '';
  const addBlock = (from: number, to: number, layout: BlockLayout, marker?: RegExp): void => {
    const text = blockText(lines.slice(from, to), layout, marker);
    if (text.text !== '') blocks.push({ ...text, section, layout });
  };
  const addHeading = (level: number, raw: string): void => {
    section = stripInlineMarkdown(raw);
    headings.push({ level, text: section });
  };

  let i = frontMatterEnd(lines);
  while (i < lines.length) {
    const text = lines[i]!.text;
    const atx = ATX_HEADING.exec(text);
    if (isBlank(lines[i])) {
      i++;
    } else if (atx) {
      addHeading(atx[1]!.length, atxHeadingText(text.slice(atx[0].length)));
      i++;
    } else if (openingFence(text)) {
      const end = fenceEnd(lines, i);
      addBlock(i, end, 'lines');
      i = end;
    } else if (THEMATIC_BREAK.test(text)) {
      i++;
    } else if (LIST_ITEM.test(text)) {
      const end = listEnd(lines, i);
      addBlock(i, end, 'lines');
      i = end;
    } else if (TABLE_ROW.test(text)) {
      const end = runEnd(lines, i, (line) => TABLE_ROW.test(line.text));
      addBlock(i, end, 'lines');
      i = end;
    } else if (indentWidth(text) >= 4) {
      const end = indentedCodeEnd(lines, i);
      addBlock(i, end, 'lines', CODE_INDENT);
      i = end;
    } else {
      const end = runEnd(lines, i, (line) => !interruptsParagraph(line));
      const underline = SETEXT_UNDERLINE.exec(lines[end]?.text ?? '');
      if (underline) {
        addHeading(underline[1]!.startsWith('=') ? 1 : 2, lines.slice(i, end).map((line) => line.text).join(' '));
        i = end + 1;
      } else {
        addBlock(i, end, 'prose', BLOCKQUOTE_MARKER.test(text) ? BLOCKQUOTE_MARKER : undefined);
        i = end;
      }
    }
  }
  const title = (headings.find((heading) => heading.level === 1) ?? headings[0])?.text;
  return { title: title || undefined, blocks };
}

/** The text of consecutive lines, each without `marker`, line ends mapped to the terminators they replace. */
function blockText(lines: readonly Line[], layout: BlockLayout, marker: RegExp | undefined): MappedText {
  const parts: MappedText[] = [];
  lines.forEach((line, index) => {
    const next = lines[index + 1];
    const skip = marker?.exec(line.text)?.[0].length ?? 0;
    parts.push(fromSource(line.text.slice(skip), line.start + skip));
    if (next) parts.push(fromSource('\n', line.start + line.text.length, next.start));
  });
  const text = concatMapped(parts);
  return layout === 'prose' ? collapseWhitespace(text) : tidyLines(text);
}

/** The text of an ATX heading from what follows its #s: spaces and a closing run of #s (after a space) go. */
function atxHeadingText(rest: string): string {
  const text = trimSpacesAndTabs(rest);
  let closing = text.length;
  while (closing > 0 && text[closing - 1] === '#') closing--;
  return closing === 0 || text[closing - 1] === ' ' || text[closing - 1] === '\t'
    ? trimSpacesAndTabs(text.slice(0, closing))
    : text;
}

/** Trims spaces and tabs only, by hand: `/[ \t]+$/` is quadratic on a long run of spaces inside a line. */
function trimSpacesAndTabs(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text[start] === ' ' || text[start] === '\t')) start++;
  while (end > start && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return text.slice(start, end);
}

/**
 * Headings are plain labels: links keep their text, emphasis and code marks go, escapes are resolved. Bracket and
 * tag bodies stop at the next opening bracket too, so that each character is scanned a bounded number of times
 * (with `[^\]]*`, 200,000 `[` took 40 s); a link text holding brackets is therefore left partly marked.
 */
function stripInlineMarkdown(text: string): string {
  return text
    .replace(/!?\[([^[\]]*)\](?:\([^()]*\)|\[[^[\]]*\])?/g, '$1')
    .replace(/<\/?[a-zA-Z][^<>]*>/g, '')
    .replace(/\*+|`+|~~/g, '')
    .replace(/(^|[\s\p{P}])_+|_+(?=[\s\p{P}]|$)/gu, '$1')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Index just past the last line, from `start`, that satisfies `belongs`. */
function runEnd(lines: readonly Line[], start: number, belongs: (line: Line) => boolean): number {
  let end = start + 1;
  while (end < lines.length && belongs(lines[end]!)) end++;
  return end;
}

function interruptsParagraph(line: Line): boolean {
  const text = line.text;
  return (
    isBlank(line) ||
    ATX_HEADING.test(text) ||
    SETEXT_UNDERLINE.test(text) ||
    openingFence(text) !== undefined ||
    THEMATIC_BREAK.test(text) ||
    LIST_ITEM.test(text)
  );
}

/** The fence a line opens (a backtick fence's info string may not contain backticks), if any. */
function openingFence(text: string): RegExp | undefined {
  const match = FENCE_OPENING.exec(text);
  if (!match) return undefined;
  const fence = match[1]!;
  if (fence.startsWith('`') && match[2]!.includes('`')) return undefined;
  return new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`);
}

/** A fenced block runs to its closing fence, blank lines included; an unclosed one runs to the end. */
function fenceEnd(lines: readonly Line[], start: number): number {
  const closing = openingFence(lines[start]!.text)!;
  for (let i = start + 1; i < lines.length; i++) {
    if (closing.test(lines[i]!.text)) return i + 1;
  }
  return lines.length;
}

/**
 * A list runs over its items, their continuation (and lazy) lines, and single blank lines followed by another
 * item or an indented continuation. Two blank lines, a heading, a rule or unindented prose end it.
 */
function listEnd(lines: readonly Line[], start: number): number {
  const continuesAfterBlank = (line: Line | undefined): boolean =>
    line !== undefined &&
    !isBlank(line) &&
    !THEMATIC_BREAK.test(line.text) &&
    (LIST_ITEM.test(line.text) || indentWidth(line.text) >= 2);
  let end = start + 1;
  while (end < lines.length) {
    const line = lines[end]!;
    if (isBlank(line)) {
      if (!continuesAfterBlank(lines[end + 1])) break;
      end += 2;
    } else if (ATX_HEADING.test(line.text) || THEMATIC_BREAK.test(line.text) || isUnindentedFence(line.text)) {
      break;
    } else {
      end++;
    }
  }
  return end;
}

function isUnindentedFence(text: string): boolean {
  return indentWidth(text) < 2 && openingFence(text) !== undefined;
}

/** Indented code runs over lines indented by four columns, and blank lines between them. */
function indentedCodeEnd(lines: readonly Line[], start: number): number {
  let end = start + 1;
  for (let i = start + 1; i < lines.length; i++) {
    if (indentWidth(lines[i]!.text) >= 4 && !isBlank(lines[i])) end = i + 1;
    else if (!isBlank(lines[i])) break;
  }
  return end;
}

/** YAML front matter (`---` then `key: value` lines then `---` or `...`) is metadata, not text to quote. */
function frontMatterEnd(lines: readonly Line[]): number {
  if (lines[0]?.text.trimEnd() !== '---' || !YAML_KEY.test(lines[1]?.text ?? '')) return 0;
  for (let i = 2; i < lines.length; i++) {
    const text = lines[i]!.text.trimEnd();
    if (text === '---' || text === '...') return i + 1;
  }
  return 0;
}
