import GithubSlugger from 'github-slugger';
import type { Block, BlockLayout, DocumentBlocks } from './block.ts';
import { indentWidth, isBlank, splitLines, type Line } from './lines.ts';
import { collapseWhitespace, concatMapped, fencedCode, fromSource, replaceRanges, tidyLines, type MappedText } from './mapped-text.ts';
import {
  admonitionLabel,
  admonitionTitle,
  COLON_CLOSER,
  COLON_OPENER,
  componentLine,
  cutCustomAnchor,
  dedentLine,
  dedentLines,
  detectDialect,
  docsMarkupEdits,
  fenceTabLabel,
  GITHUB_ALERT,
  isEsmLine,
  isNpmTab,
  isTabGroup,
  isTabItem,
  matchClosers,
  MKDOCS_OPENER,
  MKDOCS_TAB,
  mkdocsTabLabel,
  parseFrontMatter,
  tabItemLabel,
  type MarkdownDialect,
} from './markdown-dialects.ts';

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
 * Containers nest at most this deep (a tip in a tab in a code group is three); deeper container lines are read as
 * text. Each level rescans its lines once, so this bounds both recursion and time: 30,000 nested `<Tabs>` took
 * 4.1 s at 8 levels, 2.4 s at 4.
 */
const MAX_CONTAINER_DEPTH = 4;

/**
 * Markdown: ATX and setext headings become the section of the blocks under them (and the first level-1 heading,
 * else the first heading, the title); lists, fenced or indented code and tables are kept whole with their line
 * breaks; other text forms prose paragraphs, blockquote markers removed. YAML front matter is not quoted.
 *
 * Docs-site dialects, recognised from the file (`path`'s extension, front matter, the constructs used; see
 * markdown-dialects.ts): admonitions become their own labelled paragraphs ("Tip: …"), one variant of each code
 * group or tab set is kept (npm when there is one, else the first), components are reduced to their text, MDX
 * ESM lines and `{…}` expressions go, and `{#id}` heading anchors are cut and recorded. Code is never touched.
 */
export function markdownBlocks(content: string, path = ''): DocumentBlocks {
  const lines = splitLines(content);
  const bodyStart = frontMatterEnd(lines);
  const frontMatter = bodyStart > 0 ? parseFrontMatter(lines.slice(1, bodyStart - 1)) : {};
  const reader = new MarkdownReader(detectDialect(path, lines, bodyStart > 0));
  reader.read(lines.slice(bodyStart), 0);
  const { headings } = reader;
  const title = frontMatter.title ?? (headings.find((heading) => heading.level === 1) ?? headings[0])?.text ?? frontMatter.sidebarLabel;
  return {
    title: title || undefined,
    blocks: reader.blocks,
    ...(frontMatter.slug !== undefined && { slug: frontMatter.slug }),
    ...(frontMatter.permalink !== undefined && { permalink: frontMatter.permalink }),
    ...(frontMatter.url !== undefined && { url: frontMatter.url }),
  };
}

/** Reads a run of lines into blocks; containers are read by reading their bodies, one level deeper. */
class MarkdownReader {
  readonly blocks: Block[] = [];
  readonly headings: Heading[] = [];
  private section = '';
  private anchor: string | undefined;
  private group: number | undefined;
  private groups = 0;
  /** GitHub's slugs, numbered when repeated (`setup`, `setup-1`): the anchors of the published page. */
  private readonly slugger = new GithubSlugger();

  constructor(private readonly dialect: MarkdownDialect) {}

  read(lines: readonly Line[], depth: number): void {
    const docs = this.dialect.docs;
    const containers = docs && depth < MAX_CONTAINER_DEPTH;
    const closers = docs ? matchClosers(lines, (i) => (openingFence(lines[i]!.text) ? fenceEnd(lines, i) : undefined)) : new Map<number, number>();
    const unclosedElements = new Set<string>();
    let i = 0;
    while (i < lines.length) {
      const text = lines[i]!.text;
      const atx = ATX_HEADING.exec(text);
      if (isBlank(lines[i])) {
        i++;
      } else if (atx) {
        this.addHeading(atx[1]!.length, atxHeadingText(text.slice(atx[0].length)));
        i++;
      } else if (openingFence(text)) {
        const end = fenceEnd(lines, i);
        this.addBlock(lines.slice(i, end), 'lines', { code: true });
        i = end;
      } else if (docs && (COLON_OPENER.test(text) || COLON_CLOSER.test(text))) {
        const closer = closers.get(i);
        if (containers && closer !== undefined) this.readColonContainer(lines, i, closer, depth);
        i = closer === undefined ? i + 1 : closer + 1;
      } else if (containers && MKDOCS_OPENER.test(text)) {
        i = this.readMkdocsAdmonition(lines, i, depth);
      } else if (containers && MKDOCS_TAB.test(text)) {
        i = this.readMkdocsTabs(lines, i, depth);
      } else if (containers && isTabGroup(componentLine(text)) && closers.has(i)) {
        this.readTabComponents(lines.slice(i + 1, closers.get(i)), depth);
        i = closers.get(i)! + 1;
      } else if (this.dialect.mdx && depth === 0 && isEsmLine(text)) {
        i = runEnd(lines, i, (line) => !isBlank(line));
      } else if (docs && HTML_CODE_ELEMENT.test(text)) {
        i = htmlCodeElementEnd(lines, i, unclosedElements);
      } else if (depth < MAX_CONTAINER_DEPTH && GITHUB_ALERT.test(text)) {
        const end = runEnd(lines, i, (line) => BLOCKQUOTE_MARKER.test(line.text));
        const kind = /\[!(\w+)\]/.exec(text)![1]!;
        const body = lines.slice(i + 1, end).map((line) => dedentMarker(line, BLOCKQUOTE_MARKER));
        this.readAdmonition(admonitionLabel(kind), '', lines[i]!, body, depth);
        i = end;
      } else if (THEMATIC_BREAK.test(text)) {
        i++;
      } else if (LIST_ITEM.test(text)) {
        const end = listEnd(lines, i, this.dialect);
        this.addBlock(lines.slice(i, end), 'lines');
        i = end;
      } else if (TABLE_ROW.test(text)) {
        const end = runEnd(lines, i, (line) => TABLE_ROW.test(line.text));
        this.addBlock(lines.slice(i, end), 'lines');
        i = end;
      } else if (indentWidth(text) >= 4 && !this.dialect.mdx) {
        const end = indentedCodeEnd(lines, i);
        this.addBlock(lines.slice(i, end), 'lines', { code: true, marker: CODE_INDENT });
        i = end;
      } else {
        const end = runEnd(lines, i, (line) => !interruptsParagraph(line, this.dialect));
        const underline = SETEXT_UNDERLINE.exec(lines[end]?.text ?? '');
        if (underline) {
          this.addHeading(underline[1]!.startsWith('=') ? 1 : 2, lines.slice(i, end).map((line) => line.text).join(' '));
          i = end + 1;
        } else {
          this.addBlock(lines.slice(i, end), 'prose', { marker: BLOCKQUOTE_MARKER.test(text) ? BLOCKQUOTE_MARKER : undefined });
          i = end;
        }
      }
    }
  }

  /** A `:::` container: a code group keeps one variant; any other is an admonition (labelled when known). */
  private readColonContainer(lines: readonly Line[], opener: number, closer: number, depth: number): void {
    const [, , kind = '', rest = ''] = COLON_OPENER.exec(lines[opener]!.text)!;
    const body = lines.slice(opener + 1, closer);
    if (kind === 'code-group') this.readCodeGroup(body, depth);
    else this.readAdmonition(admonitionLabel(kind), admonitionTitle(rest), lines[opener]!, body, depth);
  }

  /** VitePress (fences labelled `[npm]`) or VuePress (`::: code-group-item npm` containers) code groups. */
  private readCodeGroup(body: readonly Line[], depth: number): void {
    const closers = matchClosers(body, (i) => (openingFence(body[i]!.text) ? fenceEnd(body, i) : undefined));
    const variants: Variant[] = [];
    for (let i = 0; i < body.length; i++) {
      const text = body[i]!.text;
      const from = i;
      if (openingFence(text)) {
        const end = fenceEnd(body, from);
        variants.push({ label: fenceTabLabel(text), read: () => this.addBlock(body.slice(from, end), 'lines', { code: true }) });
        i = end - 1;
      } else if (closers.has(from)) {
        const closer = closers.get(from)!;
        const label = admonitionTitle(COLON_OPENER.exec(text)?.[3] ?? '');
        variants.push({ label, read: () => this.read(body.slice(from + 1, closer), depth + 1) });
        i = closer;
      }
    }
    readOneVariant(variants);
  }

  /** `<Tabs>` / `<CodeGroup>`: one of its `<TabItem>` / `<CodeGroupItem>` bodies, dedented. */
  private readTabComponents(body: readonly Line[], depth: number): void {
    const closers = matchClosers(body, (i) => (openingFence(body[i]!.text) ? fenceEnd(body, i) : undefined));
    const variants: Variant[] = [];
    for (let i = 0; i < body.length; i++) {
      const tag = componentLine(body[i]!.text);
      const closer = closers.get(i);
      if (!tag || !isTabItem(tag) || closer === undefined) continue;
      const item = body.slice(i + 1, closer);
      variants.push({ label: tabItemLabel(tag), read: () => this.read(dedentLines(item), depth + 1) });
      i = closer;
    }
    readOneVariant(variants);
  }

  /** `!!! note "Title"` and the lines indented under it. Returns the index past it. */
  private readMkdocsAdmonition(lines: readonly Line[], opener: number, depth: number): number {
    const end = indentedBodyEnd(lines, opener + 1);
    const [, kind = '', rest = ''] = MKDOCS_OPENER.exec(lines[opener]!.text)!;
    const body = lines.slice(opener + 1, end).map((line) => dedentLine(line, 4));
    this.readAdmonition(admonitionLabel(kind) ?? capitalise(kind), admonitionTitle(rest), lines[opener]!, body, depth);
    return end;
  }

  /** Consecutive `=== "label"` tabs, each with its indented body: one is read. Returns the index past them. */
  private readMkdocsTabs(lines: readonly Line[], first: number, depth: number): number {
    const variants: Variant[] = [];
    let i = first;
    while (i < lines.length && MKDOCS_TAB.test(lines[i]!.text)) {
      const end = indentedBodyEnd(lines, i + 1);
      const body = lines.slice(i + 1, end).map((line) => dedentLine(line, 4));
      variants.push({ label: mkdocsTabLabel(lines[i]!.text), read: () => this.read(body, depth + 1) });
      i = end;
      while (i < lines.length && isBlank(lines[i])) i++;
    }
    readOneVariant(variants);
    return i;
  }

  /**
   * An admonition's body, as its own paragraph(s): a label block ("Warning: Title") mapped to the opening line
   * leads, and a group keeps its fragments from joining anything outside it.
   */
  private readAdmonition(label: string | undefined, title: string, opener: Line, body: readonly Line[], depth: number): void {
    const outer = this.group;
    this.group = ++this.groups;
    const heading = admonitionHeading(label, title);
    if (heading !== '') {
      const text = fromSource(heading, opener.start, opener.start + opener.text.length);
      this.blocks.push(this.withPlace({ ...text, layout: 'prose' }));
    }
    this.read(body, depth + 1);
    this.group = outer;
  }

  private addHeading(level: number, raw: string): void {
    const { text, anchor } = cutCustomAnchor(raw);
    this.section = stripInlineMarkdown(text);
    this.anchor = anchor ?? (this.section === '' ? undefined : this.slugger.slug(this.section) || undefined);
    this.headings.push({ level, text: this.section });
  }

  private addBlock(lines: readonly Line[], layout: BlockLayout, options: { code?: boolean; marker?: RegExp } = {}): void {
    const clean = this.dialect.docs && !options.code ? (text: MappedText) => replaceRanges(text, docsMarkupEdits(text.text, this.dialect)) : undefined;
    const read = blockText(lines, layout, options.marker, clean);
    // Indented code has no fence of its own: one is added so that it is quoted as code, like fenced code.
    const text = options.code && options.marker === CODE_INDENT ? fencedCode(read, '') : read;
    if (text.text !== '') this.blocks.push(this.withPlace({ ...text, layout }));
  }

  /** The block with the current section, anchor and group. */
  private withPlace(block: MappedText & { layout: BlockLayout }): Block {
    return {
      ...block,
      section: this.section,
      ...(this.anchor !== undefined && { anchor: this.anchor }),
      ...(this.group !== undefined && { group: this.group }),
    };
  }
}

/** One tab of a code group or tab set, read only when chosen. */
interface Variant {
  readonly label: string;
  readonly read: () => void;
}

/** Reads the npm variant when there is one, else the first: the others repeat it for another tool. */
function readOneVariant(variants: readonly Variant[]): void {
  (variants.find((variant) => isNpmTab(variant.label)) ?? variants[0])?.read();
}

/** "Warning: Careful." for `::: warning Careful`; "Tip:" alone; the title alone for an unknown container. */
function admonitionHeading(label: string | undefined, title: string): string {
  if (label === undefined) return title;
  if (title === '') return `${label}:`;
  const ends = ['.', '!', '?', ':'].includes(title.at(-1)!);
  return `${label}: ${title}${ends ? '' : '.'}`;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** A line without its blockquote marker (GitHub alert bodies). */
function dedentMarker(line: Line, marker: RegExp): Line {
  const skip = marker.exec(line.text)?.[0].length ?? 0;
  return { text: line.text.slice(skip), start: line.start + skip };
}

/** Past the lines indented by four (and blank lines between them) from `start`: a MkDocs body. */
function indentedBodyEnd(lines: readonly Line[], start: number): number {
  let end = start;
  for (let i = start; i < lines.length; i++) {
    if (isBlank(lines[i])) continue;
    if (indentWidth(lines[i]!.text) < 4) break;
    end = i + 1;
  }
  return end;
}

/** `<script>` / `<style>` in a docs page (VitePress `<script setup>`): code for the site, not text. */
const HTML_CODE_ELEMENT = /^ {0,3}<(script|style)(?=[\s>]|$)/i;

/**
 * Past the line closing the element opened at `start`, or just that line when none closes it; `unclosed` remembers
 * the elements no later line closes, so that many unclosed `<script>` lines are not each searched to the end.
 */
function htmlCodeElementEnd(lines: readonly Line[], start: number, unclosed: Set<string>): number {
  const name = HTML_CODE_ELEMENT.exec(lines[start]!.text)![1]!.toLowerCase();
  if (unclosed.has(name)) return start + 1;
  const closing = `</${name}`;
  for (let i = start; i < lines.length; i++) {
    if (lines[i]!.text.toLowerCase().includes(closing)) return i + 1;
  }
  unclosed.add(name);
  return start + 1;
}

/** The text of consecutive lines, each without `marker`, line ends mapped to the terminators they replace. */
function blockText(
  lines: readonly Line[],
  layout: BlockLayout,
  marker: RegExp | undefined,
  clean: ((text: MappedText) => MappedText) | undefined,
): MappedText {
  const parts: MappedText[] = [];
  lines.forEach((line, index) => {
    const next = lines[index + 1];
    const skip = marker?.exec(line.text)?.[0].length ?? 0;
    parts.push(fromSource(line.text.slice(skip), line.start + skip));
    if (next) parts.push(fromSource('\n', line.start + line.text.length, next.start));
  });
  const text = clean ? clean(concatMapped(parts)) : concatMapped(parts);
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

function interruptsParagraph(line: Line, dialect: MarkdownDialect): boolean {
  const text = line.text;
  return (
    (dialect.docs && interruptsDocsParagraph(text)) ||
    isBlank(line) ||
    ATX_HEADING.test(text) ||
    SETEXT_UNDERLINE.test(text) ||
    openingFence(text) !== undefined ||
    THEMATIC_BREAK.test(text) ||
    LIST_ITEM.test(text)
  );
}

/** Lines of docs-site markup that end a paragraph even without a blank line before them. */
function interruptsDocsParagraph(text: string): boolean {
  if (COLON_OPENER.test(text) || COLON_CLOSER.test(text) || MKDOCS_OPENER.test(text) || MKDOCS_TAB.test(text)) return true;
  if (GITHUB_ALERT.test(text)) return true;
  const tag = componentLine(text);
  return isTabGroup(tag) || isTabItem(tag);
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
function listEnd(lines: readonly Line[], start: number, dialect: MarkdownDialect): number {
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
    } else if (
      ATX_HEADING.test(line.text) ||
      THEMATIC_BREAK.test(line.text) ||
      isUnindentedFence(line.text) ||
      (dialect.docs && indentWidth(line.text) < 2 && interruptsDocsParagraph(line.text))
    ) {
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
