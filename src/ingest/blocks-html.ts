import type { Block, BlockLayout, DocumentBlocks } from './block.ts';
import { readHtml, type HtmlHandler } from './html-events.ts';
import { absoluteHttpUrl } from './document-url.ts';
import { collapseWhitespace, concatMapped, fencedCode, fromSource, tidyLines, type MappedText } from './mapped-text.ts';

/** Elements whose content is never shown as text (`<title>` is read on its own, even inside `<head>`). */
const HIDDEN = new Set(['head', 'script', 'style', 'noscript', 'template', 'svg', 'iframe', 'object']);
/** What may stand in `<head>`; any other element means the head was left unclosed and the body has begun. */
const HEAD_CONTENT = new Set(['title', 'meta', 'link', 'base', 'style', 'script', 'noscript', 'template']);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const LISTS = new Set(['ul', 'ol', 'menu']);
/** Elements that start and end a paragraph. */
const BLOCK_ELEMENTS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'dd', 'details', 'dialog', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'header', 'hr', 'html', 'li', 'main', 'nav', 'p',
  'section', 'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr',
]);

/**
 * HTML: visible text only. Block elements separate paragraphs, as does a double `<br>`; a single `<br>` is a line
 * break. `h1`–`h6` give sections; a `ul`/`ol` stays one paragraph, one "- " line per item; `pre` keeps its line
 * breaks. The title is `<title>`, else the first `h1`. Offsets point into the raw HTML. A heading's `id` (or the
 * `id` / `name` of an element inside it, `<h2><a id="setup"></a>Setup</h2>`) is the anchor of the blocks under
 * it, and `<link rel="canonical" href="…">` says where the page is published.
 */
export function htmlBlocks(content: string): DocumentBlocks {
  const reader = new HtmlBlockReader();
  readHtml(content, reader);
  reader.finish();
  return { title: reader.title, blocks: reader.blocks, ...(reader.canonical !== undefined && { url: reader.canonical }) };
}

/** An attribute value usable as a fragment: an HTML id has no whitespace and is not empty. */
function anchorOf(attributes: ReadonlyMap<string, string>): string | undefined {
  const id = attributes.get('id') ?? attributes.get('name');
  return id !== undefined && id !== '' && !/\s/.test(id) ? id : undefined;
}

/** Turns the parser's events into blocks. */
class HtmlBlockReader implements HtmlHandler {
  readonly blocks: Block[] = [];
  private documentTitle: string | undefined;
  private firstH1: string | undefined;
  private section = '';
  /** The current section's anchor, and that of the heading being read. */
  private anchor: string | undefined;
  private headingAnchor: string | undefined;
  /** The first `<link rel="canonical">` with an absolute http(s) `href`. */
  canonical: string | undefined;
  /** Open hidden elements; text shows only when this is empty. */
  private readonly hidden: string[] = [];
  /** How many of `hidden` are not `head` (counted, not scanned for, at each `<title>`). */
  private hiddenOutsideHead = 0;
  private titleText: string | undefined;
  private headingText: string | undefined;
  private heading = '';
  private preDepth = 0;
  /** The language of the `pre` being read (`class="language-js"` on it or its `code`). */
  private codeLanguage: string | undefined;
  /** Text of the paragraph (or `pre`) being read. */
  private parts: MappedText[] = [];
  /** Set after a `<br>` until visible text follows, so that a second `<br>` ends the paragraph. */
  private afterBreak = false;
  private list: ListReader | undefined;

  get title(): string | undefined {
    return this.documentTitle || this.firstH1 || undefined;
  }

  open(name: string, at: number, attributes: ReadonlyMap<string, string>): void {
    if (name === 'link' && this.canonical === undefined && isCanonical(attributes)) this.canonical = absoluteHttpUrl(attributes.get('href')!);
    if (this.hidden.length === 1 && this.hidden[0] === 'head' && !HEAD_CONTENT.has(name)) this.hidden.pop();
    // An <svg> may have a <title> of its own; only the page's counts.
    if (name === 'title' && this.hiddenOutsideHead === 0) this.titleText = '';
    else if (HIDDEN.has(name)) this.pushHidden(name);
    if (this.hidden.length > 0 || this.titleText !== undefined) return;

    if (this.headingText !== undefined && name === 'br') {
      this.headingText += ' ';
    } else if (this.headingText !== undefined) {
      this.headingAnchor ??= anchorOf(attributes);
    } else if (HEADINGS.has(name)) {
      this.endParagraph();
      this.headingText = '';
      this.heading = name;
      this.headingAnchor = anchorOf(attributes);
    } else if (LISTS.has(name)) {
      if (!this.list) this.endParagraph();
      this.list ??= new ListReader();
      this.list.openList();
    } else if (this.list) {
      if (name === 'li') this.list.startItem(at);
      else if (name === 'br') this.list.add(fromSource(' ', at, at));
    } else if (name === 'br') {
      this.lineBreak(at);
    } else if (name === 'pre') {
      if (this.preDepth === 0) {
        this.endParagraph();
        this.codeLanguage = languageOf(attributes);
      }
      this.preDepth++;
    } else if (name === 'code') {
      if (this.preDepth > 0) this.codeLanguage ??= languageOf(attributes);
      else this.codeMark(at);
    } else if (BLOCK_ELEMENTS.has(name) && this.preDepth === 0) {
      this.endParagraph();
    }
  }

  close(name: string, at: number): void {
    if (name === 'title' && this.titleText !== undefined) {
      this.documentTitle ??= collapse(this.titleText);
      this.titleText = undefined;
      return;
    }
    if (this.hidden.length > 0) {
      if (name === this.hidden.at(-1)) this.popHidden();
      return;
    }

    if (name === this.heading && this.headingText !== undefined) {
      this.section = collapse(this.headingText);
      this.anchor = this.headingAnchor;
      if (name === 'h1') this.firstH1 ??= this.section;
      this.headingText = undefined;
    } else if (this.list && LISTS.has(name)) {
      if (this.list.closeList(at)) this.endList();
    } else if (name === 'code' && this.preDepth === 0) {
      this.codeMark(at);
    } else if (name === 'pre' && this.preDepth > 0) {
      if (this.preDepth === 1) this.endParagraph();
      this.preDepth--;
    } else if (BLOCK_ELEMENTS.has(name) && !this.list && this.preDepth === 0) {
      this.endParagraph();
    }
  }

  text(text: string, start: number, end: number): void {
    if (this.titleText !== undefined) this.titleText += text;
    else if (this.hidden.length > 0) return;
    else if (this.headingText !== undefined) this.headingText += text;
    else if (this.list) this.list.add(fromSource(text, start, end));
    else {
      if (text.trim() !== '') this.afterBreak = false;
      this.parts.push(fromSource(text, start, end));
    }
  }

  finish(): void {
    if (this.list) this.endList();
    this.endParagraph();
  }

  private pushHidden(name: string): void {
    this.hidden.push(name);
    if (name !== 'head') this.hiddenOutsideHead++;
  }

  private popHidden(): void {
    if (this.hidden.pop() !== 'head') this.hiddenOutsideHead--;
  }

  private lineBreak(at: number): void {
    if (this.afterBreak && this.preDepth === 0) {
      this.endParagraph();
      return;
    }
    this.parts.push(fromSource('\n', at, at));
    this.afterBreak = true;
  }

  /** A backtick where inline `<code>` opens or closes, so the quote shows it as code (as Markdown would). */
  private codeMark(at: number): void {
    const mark = fromSource('`', at, at);
    if (this.list) this.list.add(mark);
    else this.parts.push(mark);
  }

  private endParagraph(): void {
    // Called before a `pre` opens and before it closes, so `preDepth` tells whether this text was preformatted.
    const layout: BlockLayout = this.preDepth > 0 ? 'lines' : 'prose';
    const joined = concatMapped(this.parts);
    this.push(layout === 'prose' ? collapseWhitespace(joined) : fencedCode(tidyLines(joined), this.codeLanguage ?? ''), layout);
    this.parts = [];
    this.afterBreak = false;
  }

  private endList(): void {
    if (this.list) this.push(this.list.finish(), 'lines');
    this.list = undefined;
  }

  private push(text: MappedText, layout: BlockLayout): void {
    if (text.text !== '') this.blocks.push({ ...text, section: this.section, layout, ...(this.anchor !== undefined && { anchor: this.anchor }) });
  }
}

/**
 * Deepest list level that is indented further: past it, items line up with their parent. Otherwise 100,000 nested
 * lists wrote 10^10 spaces of indentation.
 */
const MAX_LIST_INDENT_LEVEL = 8;

/** Collects a (possibly nested) list as "- item" lines, nested items indented by two spaces per level. */
class ListReader {
  private readonly lines: MappedText[] = [];
  private item: MappedText[] = [];
  private itemStart = 0;
  private itemDepth = 0;
  private depth = 0;

  openList(): void {
    this.endItem();
    this.depth++;
  }

  /** Ends a list; returns true when it was the outermost one. */
  closeList(at: number): boolean {
    this.endItem();
    this.depth--;
    this.itemStart = at;
    return this.depth <= 0;
  }

  startItem(at: number): void {
    this.endItem();
    this.itemStart = at;
  }

  add(text: MappedText): void {
    if (this.item.length === 0) this.itemDepth = Math.max(this.depth, 1);
    this.item.push(text);
  }

  finish(): MappedText {
    this.endItem();
    const parts = this.lines.flatMap((line, index) => {
      const previous = this.lines[index - 1];
      return previous ? [fromSource('\n', previous.sourceEnds.at(-1)!, line.sourceStarts[0]!), line] : [line];
    });
    return concatMapped(parts);
  }

  private endItem(): void {
    const text = collapseWhitespace(concatMapped(this.item));
    if (text.text !== '') {
      const bullet = `${'  '.repeat(Math.min(this.itemDepth, MAX_LIST_INDENT_LEVEL) - 1)}- `;
      this.lines.push(concatMapped([fromSource(bullet, this.itemStart, this.itemStart), text]));
    }
    this.item = [];
  }
}

/** `language-js` / `lang-js` in a `class` list: the code's language, as highlighters mark it. */
function languageOf(attributes: ReadonlyMap<string, string>): string | undefined {
  for (const name of (attributes.get('class') ?? '').split(/\s+/)) {
    const language = /^(?:language|lang)-([\w+#.-]{1,30})$/.exec(name)?.[1];
    if (language !== undefined) return language;
  }
  return undefined;
}

/** `<link rel="canonical" href="…">` (`rel` is a space-separated, case-insensitive list). */
function isCanonical(attributes: ReadonlyMap<string, string>): boolean {
  const rel = attributes.get('rel');
  return rel !== undefined && attributes.has('href') && rel.toLowerCase().split(/\s+/).includes('canonical');
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
