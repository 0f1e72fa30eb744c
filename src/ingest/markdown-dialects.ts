import path from 'node:path';
import { indentWidth, isBlank, type Line } from './lines.ts';
import type { MappedEdit } from './mapped-text.ts';
import { parse as parseYaml } from 'yaml';
import { absoluteHttpUrl } from './document-url.ts';

// The markup documentation sites add to Markdown (VuePress, VitePress, Docusaurus/MDX, MkDocs Material, Starlight,
// GitHub alerts), recognised line by line. Like the rest of src/ingest, every pattern is anchored with disjoint
// classes or cut by hand, so each runs in time linear in its line (docs/hardening.md).

/** How far a Markdown file goes beyond CommonMark, found from the file itself, never from configuration. */
export interface MarkdownDialect {
  /** MDX (`.mdx`, or ESM `import … from '…'` lines): ESM lines dropped, `{…}` expressions removed. */
  readonly mdx: boolean;
  /** A docs-site file (MDX, front matter, containers, components): containers, tabs and components are read. */
  readonly docs: boolean;
}

/** `::: tip Title`, `:::note[Title]`, `:::: code-group` (VuePress, VitePress, Docusaurus, Starlight). */
export const COLON_OPENER = /^ {0,3}(:{3,})[ \t]*([A-Za-z][\w-]*)(.*)$/s;
export const COLON_CLOSER = /^ {0,3}:{3,}[ \t]*$/;
/** `!!! note "Title"`, `??? tip`, `???+ warning` (MkDocs Material): the body is indented by four. */
export const MKDOCS_OPENER = /^ {0,3}(?:!!!|\?\?\?\+?)[ \t]+([A-Za-z][\w-]*)(.*)$/s;
/** `=== "npm"` (MkDocs Material content tabs), the body indented by four. */
export const MKDOCS_TAB = /^ {0,3}===\+?[ \t]+"/;
/** `> [!NOTE]` (GitHub alerts), alone on the first line of a blockquote. */
export const GITHUB_ALERT = /^ {0,3}> ?\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*$/i;
/** Tab components whose items are variants of one another (Docusaurus, Starlight, VuePress). */
const TAB_GROUPS: ReadonlySet<string> = new Set(['Tabs', 'CodeGroup']);
const TAB_ITEMS: ReadonlySet<string> = new Set(['TabItem', 'CodeGroupItem']);
/** A line starting with a capitalised component tag, `<DocsLink`, `</Tabs>`. */
const COMPONENT_LINE = /^[ \t]*<\/?[A-Z]/;
/** A capitalised component tag anywhere (`[\w.]*` and what must follow it are disjoint: linear). */
const COMPONENT_TAG = /<\/?[A-Z][\w.]*[\s/>]/;

const LABELS: Readonly<Record<string, string>> = {
  tip: 'Tip', hint: 'Tip', note: 'Note', info: 'Info', important: 'Important', warning: 'Warning', warn: 'Warning',
  caution: 'Caution', danger: 'Danger', attention: 'Warning', error: 'Error', failure: 'Error', bug: 'Bug',
  success: 'Success', check: 'Success', question: 'Question', help: 'Question', faq: 'Question', example: 'Example',
  quote: 'Quote', cite: 'Quote', abstract: 'Summary', summary: 'Summary', tldr: 'Summary', todo: 'To do',
  details: 'Details', secondary: 'Note', primary: 'Note',
};

/** The label a kind of admonition is quoted with ("Tip"), or undefined for a container that is not one. */
export function admonitionLabel(kind: string): string | undefined {
  return LABELS[kind.toLowerCase()];
}

/** Recognises the dialect of a Markdown file from its extension, its front matter and the constructs it uses. */
export function detectDialect(filePath: string, lines: readonly Line[], hasFrontMatter: boolean): MarkdownDialect {
  const mdx = path.posix.extname(filePath).toLowerCase() === '.mdx' || lines.some((line) => isEsmImport(line.text));
  const docs =
    mdx ||
    hasFrontMatter ||
    lines.some(
      (line) => COLON_OPENER.test(line.text) || MKDOCS_OPENER.test(line.text) || MKDOCS_TAB.test(line.text) || COMPONENT_TAG.test(line.text),
    );
  return { mdx, docs };
}

/** `import Tabs from '@theme/Tabs';`, cut by hand. */
function isEsmImport(text: string): boolean {
  if (!text.startsWith('import ')) return false;
  const from = text.lastIndexOf(' from ');
  if (from < 0) return false;
  const quote = text.slice(from + 6).trimStart()[0];
  return quote === '"' || quote === "'";
}

/** An MDX ESM line (`import …`, `export …`), which starts a block of code that runs to the next blank line. */
export function isEsmLine(text: string): boolean {
  return isEsmImport(text) || text.startsWith('export ') || text.startsWith('import {') || text.startsWith('import *');
}

/** What front matter says about a page. */
export interface FrontMatter {
  readonly title?: string;
  readonly sidebarLabel?: string;
  readonly slug?: string;
  /** Jekyll's `permalink:`, the page's path from the site root. */
  readonly permalink?: string;
  /** Where the page is published (`url:` or `source:`), when that is an absolute http(s) URL. */
  readonly url?: string;
}

/**
 * `title`, `sidebar_label`, `slug`, `permalink` and `url` / `source` from front matter lines, parsed as YAML (the `yaml`
 * package: aliases are bounded, so a hostile block cannot blow up). Front matter that is not a YAML mapping, or a
 * value that is not text, is ignored: it never stops the document from being read.
 */
export function parseFrontMatter(lines: readonly Line[]): FrontMatter {
  let data: unknown;
  try {
    data = parseYaml(lines.map((line) => line.text).join('\n'), { maxAliasCount: 50, uniqueKeys: false });
  } catch {
    return {};
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return {};
  const values = data as Record<string, unknown>;
  const text = (key: string): string | undefined => {
    const value = values[key];
    const string = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : undefined;
    return string === '' ? undefined : string;
  };
  const url = [text('url'), text('source')].find((value) => value !== undefined && absoluteHttpUrl(value) !== undefined);
  return {
    ...(text('title') !== undefined && { title: text('title') }),
    ...(text('sidebar_label') !== undefined && { sidebarLabel: text('sidebar_label') }),
    ...(text('slug') !== undefined && { slug: text('slug') }),
    ...(text('permalink') !== undefined && { permalink: text('permalink') }),
    ...(url !== undefined && { url: absoluteHttpUrl(url) }),
  };
}

/** The title after an admonition's kind: `Title`, `[Title]`, `"Title"`; `{…}` attributes go. */
export function admonitionTitle(rest: string): string {
  let title = rest.trim();
  const brace = title.indexOf('{');
  if (brace >= 0 && title.endsWith('}')) title = title.slice(0, brace).trim();
  if (title.startsWith('[') && title.endsWith(']')) title = title.slice(1, -1);
  const first = title.indexOf('"');
  const last = title.lastIndexOf('"');
  if (first >= 0 && last > first) title = title.slice(first + 1, last);
  else if (first >= 0) title = '';
  return title.trim();
}

/** The label of a MkDocs tab line, `=== "npm"` → `npm`. */
export function mkdocsTabLabel(text: string): string {
  const first = text.indexOf('"');
  const last = text.lastIndexOf('"');
  return last > first ? text.slice(first + 1, last) : '';
}

/** The label of a VitePress code-group fence: ```` ```sh [npm] ```` → `npm`. */
export function fenceTabLabel(text: string): string {
  const open = text.indexOf('[');
  const close = text.indexOf(']', open + 1);
  return open >= 0 && close > open ? text.slice(open + 1, close) : '';
}

/** Whether a tab is the npm variant, kept over the other package managers'. */
export function isNpmTab(label: string): boolean {
  return label.trim().toLowerCase() === 'npm';
}

/** A capitalised component tag alone on its line (`<Tabs>`, `<TabItem value="npm">`, `</TabItem>`). */
export interface ComponentLine {
  readonly name: string;
  readonly closing: boolean;
  readonly selfClosing: boolean;
  readonly attributes: ReadonlyMap<string, string>;
}

/** The component tag a line holds and nothing else, if any. */
export function componentLine(text: string): ComponentLine | undefined {
  if (!COMPONENT_LINE.test(text)) return undefined;
  const start = text.indexOf('<');
  const tag = scanTag(text, start);
  if (!('end' in tag) || text.slice(tag.end).trim() !== '') return undefined;
  return tag;
}

export function isTabGroup(tag: ComponentLine | undefined): boolean {
  return tag !== undefined && !tag.selfClosing && TAB_GROUPS.has(tag.name);
}

export function isTabItem(tag: ComponentLine | undefined): boolean {
  return tag !== undefined && !tag.selfClosing && TAB_ITEMS.has(tag.name);
}

/** The label of a tab item component: its `value`, `label` or `title`. */
export function tabItemLabel(tag: ComponentLine): string {
  return tag.attributes.get('value') ?? tag.attributes.get('label') ?? tag.attributes.get('title') ?? '';
}

/**
 * For each opening line of a paired construct at this level (a `:::` container, a tab component), the index of
 * its closing line, found in one pass with a stack; fenced code is skipped, and unmatched lines have no entry.
 */
export function matchClosers(lines: readonly Line[], fenceEnd: (start: number) => number | undefined): Map<number, number> {
  const closers = new Map<number, number>();
  const colons: number[] = [];
  const components = new Map<string, number[]>();
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!.text;
    const fence = fenceEnd(i);
    if (fence !== undefined) {
      i = fence - 1;
    } else if (COLON_CLOSER.test(text)) {
      const opener = colons.pop();
      if (opener !== undefined) closers.set(opener, i);
    } else if (COLON_OPENER.test(text)) {
      colons.push(i);
    } else {
      const tag = componentLine(text);
      if (!tag || tag.selfClosing || !(TAB_GROUPS.has(tag.name) || TAB_ITEMS.has(tag.name))) continue;
      const stack = components.get(tag.name) ?? [];
      components.set(tag.name, stack);
      if (!tag.closing) stack.push(i);
      else {
        const opener = stack.pop();
        if (opener !== undefined) closers.set(opener, i);
      }
    }
  }
  return closers;
}

/** A line without up to `columns` columns of its indentation (a tab counting to the next multiple of four). */
export function dedentLine(line: Line, columns: number): Line {
  let width = 0;
  let cut = 0;
  while (cut < line.text.length && width < columns) {
    const character = line.text[cut];
    if (character === ' ') width += 1;
    else if (character === '\t') width += 4 - (width % 4);
    else break;
    cut++;
  }
  return { text: line.text.slice(cut), start: line.start + cut };
}

/** Lines without their common indentation (MDX component bodies are indented for readability, not as code). */
export function dedentLines(lines: readonly Line[]): Line[] {
  let common = Infinity;
  for (const line of lines) if (!isBlank(line)) common = Math.min(common, indentWidth(line.text));
  return common === Infinity || common === 0 ? [...lines] : lines.map((line) => dedentLine(line, common));
}

/** A heading's text without a custom anchor `{#id}` at its end, and the anchor. */
export function cutCustomAnchor(text: string): { text: string; anchor?: string } {
  if (!text.endsWith('}')) return { text };
  const open = text.lastIndexOf('{#');
  if (open < 0) return { text };
  const id = text.slice(open + 2, -1);
  for (const character of id) if (character === ' ' || character === '\t' || character === '{' || character === '}') return { text };
  return id === '' ? { text } : { text: text.slice(0, open).trimEnd(), anchor: id };
}

/** A tag as found in text: `<Name attr="v">`, `</Name>`, `<Name />`. */
interface ScannedTag extends ComponentLine {
  readonly end: number;
}

/**
 * Scans the tag starting with the `<` at `start`. Quoted values and `{…}` expressions may hold `>`; the tag fails
 * at an unquoted `<` or at the end, and `stop` says where, so a caller resumes there: every character is scanned a
 * bounded number of times, whatever the text.
 */
function scanTag(text: string, start: number): ScannedTag | { stop: number } {
  let i = start + 1;
  const closing = text[i] === '/';
  if (closing) i++;
  const nameStart = i;
  if (!/[A-Za-z]/.test(text[i] ?? '')) return { stop: i };
  while (i < text.length && /[\w.-]/.test(text[i]!)) i++;
  const name = text.slice(nameStart, i);
  if (i < text.length && !/[\s/>]/.test(text[i]!)) return { stop: i };
  const attributes = new Map<string, string>();
  let attributeName = '';
  while (i < text.length) {
    const character = text[i]!;
    if (character === '>') {
      return { name, closing, selfClosing: text[i - 1] === '/', attributes, end: i + 1 };
    } else if (character === '<') {
      return { stop: i };
    } else if (character === '"' || character === "'") {
      const close = text.indexOf(character, i + 1);
      if (close < 0) return { stop: text.length };
      if (attributeName !== '') attributes.set(attributeName, text.slice(i + 1, close));
      attributeName = '';
      i = close + 1;
    } else if (character === '{') {
      const close = expressionEnd(text, i);
      if (close === undefined) return { stop: text.length };
      attributeName = '';
      i = close;
    } else if (character === '=') {
      i++;
    } else if (/[\s/]/.test(character)) {
      i++;
    } else {
      const nameFrom = i;
      while (i < text.length && !/[\s=/>"'{<]/.test(text[i]!)) i++;
      attributeName = text.slice(nameFrom, i);
    }
  }
  return { stop: text.length };
}

/** Just past the `}` that closes the `{` at `start` (quoted strings skipped), or undefined when none does. */
function expressionEnd(text: string, start: number): number | undefined {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const character = text[i];
    if (character === '{') depth++;
    else if (character === '}' && --depth === 0) return i + 1;
    else if (character === '"' || character === "'" || character === '`') {
      const close = text.indexOf(character, i + 1);
      if (close < 0) return undefined;
      i = close;
    }
  }
  return undefined;
}

/** Attributes whose value reads as the text of a component that has none (a link's label or path). */
const TEXT_ATTRIBUTES = ['label', 'title', 'text', 'name', 'path', 'href', 'to', 'value', 'section'];

/** The readable text of a self-closing component: its first text-like attribute (`Client:Class` → `Client`). */
function componentText(tag: ComponentLine): string {
  for (const attribute of TEXT_ATTRIBUTES) {
    const value = tag.attributes.get(attribute);
    if (value === undefined || value.trim() === '') continue;
    // DocsLink-style paths name a kind after a colon: `Client:Class`, `Options:Class#makeCache`.
    return attribute === 'path' ? value.replace(/:[A-Za-z]+(?=#|$)/, '') : value.trim();
  }
  return '';
}

/**
 * The edits that reduce a docs-site block (not code) to readable text: tags of components and HTML go, a
 * self-closing component with no text becomes its label attribute, and in MDX `{…}` expressions go. Inline code
 * (backtick spans) is left alone. One pass; a construct that does not close is left as it is.
 */
export function docsMarkupEdits(text: string, dialect: MarkdownDialect): MappedEdit[] {
  const edits: MappedEdit[] = [];
  let codeRun = 0;
  let i = 0;
  while (i < text.length) {
    const character = text[i];
    if (character === '`') {
      let run = 1;
      while (text[i + run] === '`') run++;
      if (codeRun === 0) codeRun = run;
      else if (run === codeRun) codeRun = 0;
      i += run;
    } else if (codeRun > 0) {
      i++;
    } else if (character === '<') {
      const tag = scanTag(text, i);
      if ('stop' in tag) {
        i = Math.max(tag.stop, i + 1);
        continue;
      }
      const isComponent = /[A-Z]/.test(tag.name[0]!);
      const replacement = isComponent && tag.selfClosing ? componentText(tag) : tag.name === 'br' ? ' ' : '';
      edits.push({ from: i, to: tag.end, text: replacement });
      i = tag.end;
    } else if (character === '{' && dialect.mdx) {
      const end = expressionEnd(text, i);
      if (end === undefined) break;
      edits.push({ from: i, to: end, text: '' });
      i = end;
    } else {
      i++;
    }
  }
  return edits;
}
