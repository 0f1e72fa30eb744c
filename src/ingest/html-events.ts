import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';

/** What an HTML reader is told, in document order; `at` and `start`/`end` are offsets into the raw HTML. */
export interface HtmlHandler {
  /** `attributes` holds those of {@link KEPT_ATTRIBUTES} the tag has (names lower-cased, entities decoded). */
  open(name: string, at: number, attributes: ReadonlyMap<string, string>): void;
  close(name: string, at: number): void;
  text(text: string, start: number, end: number): void;
}

/** The attributes readers use: anchors (`id`, `name`), `<link rel="canonical" href>`, a code block's language. */
export const KEPT_ATTRIBUTES: ReadonlySet<string> = new Set(['id', 'name', 'rel', 'href', 'class']);
const NO_ATTRIBUTES: ReadonlyMap<string, string> = new Map();

const VOID_ELEMENTS = new Set([
  'area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'img', 'input', 'isindex', 'keygen',
  'link', 'meta', 'param', 'source', 'track', 'wbr',
]);
const FOREIGN_ELEMENTS = new Set(['math', 'svg']);
/** Elements whose content is HTML again inside `svg`/`math` (`foreignObject` only inside `svg`, as htmlparser2 has it). */
const HTML_INTEGRATION_ELEMENTS = new Set(['mi', 'mo', 'mn', 'ms', 'mtext', 'annotation-xml', 'desc', 'title']);

const P = ['p'];
const HEADING_OR_P = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p'];
const FORM_CONTROLS = ['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea'];
/** Which open elements (on top of the stack) an opening tag closes: htmlparser2 12's `openImpliesClose`. */
const OPEN_IMPLIES_CLOSE: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries({
    tr: ['tr', 'th', 'td'], th: ['th'], td: ['thead', 'th', 'td'], body: ['head', 'link', 'script'], a: ['a'],
    li: ['li'], p: P, h1: HEADING_OR_P, h2: HEADING_OR_P, h3: HEADING_OR_P, h4: HEADING_OR_P, h5: HEADING_OR_P,
    h6: HEADING_OR_P, select: FORM_CONTROLS, input: FORM_CONTROLS, output: FORM_CONTROLS, button: FORM_CONTROLS,
    datalist: FORM_CONTROLS, textarea: FORM_CONTROLS, option: ['option'], optgroup: ['optgroup', 'option'],
    dd: ['dd', 'dt'], dt: ['dd', 'dt'], address: P, article: P, aside: P, blockquote: P, details: P, div: P, dl: P,
    fieldset: P, figcaption: P, figure: P, footer: P, form: P, header: P, hr: P, main: P, nav: P, ol: P, pre: P,
    section: P, table: P, ul: P, rt: ['rt', 'rp'], rp: ['rt', 'rp'], tbody: ['thead', 'tbody'], tfoot: ['thead', 'tbody'],
  }).map(([name, closes]) => [name, new Set(closes)]),
);

/**
 * Reads HTML with htmlparser2's tokenizer and reports elements opening and closing as its `Parser` does (names
 * lower-cased, void elements closed at once, the same implied closes, an end tag closing everything opened after
 * its element, unclosed elements closed at the end, entities decoded), with a stack whose every operation is O(1):
 * the `Parser`'s stack shifts the whole array at each tag, which took 11–35 s on 100,000 nested elements.
 */
export function readHtml(content: string, handler: HtmlHandler): void {
  const builder = new ElementStack(content, handler);
  const tokenizer = new Tokenizer({ decodeEntities: true }, builder);
  tokenizer.write(content);
  tokenizer.end();
}

/** Open elements, innermost last, with a count per name so an end tag finds its element without a scan. */
class ElementStack implements TokenizerCallbacks {
  private readonly open: string[] = [];
  private readonly openCount = new Map<string, number>();
  /** Per open element: whether it pushed onto `contexts`. */
  private readonly openedContext: boolean[] = [];
  /** Innermost last: the content kind (svg, math or html) that foreign and integration elements opened. */
  private readonly contexts: ('svg' | 'math' | 'html')[] = [];
  /** Start of the current token: where the previous one ended. */
  private tokenStart = 0;
  private tagStart = 0;
  private tagName = '';
  private attributes = new Map<string, string>();
  /** The kept attribute being read, and its value so far; undefined while reading one that is not kept. */
  private attributeName: string | undefined;
  private attributeValue = '';

  constructor(
    private readonly content: string,
    private readonly handler: HtmlHandler,
  ) {}

  isInForeignContext(): boolean {
    const context = this.contexts.at(-1);
    return context === 'svg' || context === 'math';
  }

  ontext(start: number, end: number): void {
    this.handler.text(this.content.slice(start, end), this.tokenStart, end);
    this.tokenStart = end;
  }

  ontextentity(codePoint: number, end: number): void {
    this.handler.text(String.fromCodePoint(codePoint), this.tokenStart, end);
    this.tokenStart = end;
  }

  onopentagname(start: number, end: number): void {
    this.openElement(this.content.slice(start, end).toLowerCase());
  }

  onopentagend(end: number): void {
    this.endOpenTag();
    this.tokenStart = end + 1;
  }

  onselfclosingtag(end: number): void {
    // In HTML a "/>" means nothing, except inside svg and math.
    const name = this.tagName;
    const closes = this.isInForeignContext();
    this.endOpenTag();
    if (closes && this.open.at(-1) === name) this.pop();
    this.tokenStart = end + 1;
  }

  onclosetag(start: number, end: number): void {
    const name = this.content.slice(start, end).toLowerCase();
    if (VOID_ELEMENTS.has(name)) {
      // A stray </br> is a line break; other void end tags mean nothing.
      if (name === 'br') {
        this.handler.open('br', this.tokenStart, NO_ATTRIBUTES);
        this.handler.close('br', this.tokenStart);
      }
    } else if ((this.openCount.get(name) ?? 0) > 0) {
      while (this.pop() !== name);
    } else if (name === 'p') {
      // </p> without <p> is an empty paragraph.
      this.openElement('p');
      this.endOpenTag();
      this.pop();
    }
    this.tokenStart = end + 1;
  }

  onend(): void {
    while (this.open.length > 0) this.pop();
  }

  oncomment(_start: number, end: number): void {
    this.tokenStart = end + 1;
  }

  oncdata(start: number, end: number, offset: number): void {
    // CDATA is text inside svg and math, a comment elsewhere.
    if (this.isInForeignContext()) this.handler.text(this.content.slice(start, end - offset), this.tokenStart, end + 1);
    this.tokenStart = end + 1;
  }

  ondeclaration(_start: number, end: number): void {
    this.tokenStart = end + 1;
  }

  onprocessinginstruction(_start: number, end: number): void {
    this.tokenStart = end + 1;
  }

  // Attributes carry no text to quote; only the few readers use are kept (the first of each name, as browsers do).
  onattribname(start: number, end: number): void {
    const name = this.content.slice(start, end).toLowerCase();
    this.attributeName = KEPT_ATTRIBUTES.has(name) && !this.attributes.has(name) ? name : undefined;
    this.attributeValue = '';
  }

  onattribdata(start: number, end: number): void {
    if (this.attributeName !== undefined) this.attributeValue += this.content.slice(start, end);
  }

  onattribentity(codePoint: number): void {
    if (this.attributeName !== undefined) this.attributeValue += String.fromCodePoint(codePoint);
  }

  onattribend(): void {
    if (this.attributeName !== undefined) this.attributes.set(this.attributeName, this.attributeValue);
    this.attributeName = undefined;
    this.attributeValue = '';
  }

  private openElement(name: string): void {
    this.tagStart = this.tokenStart;
    this.attributes = new Map();
    // A <form> inside a form is ignored altogether, as the HTML spec says.
    this.tagName = name === 'form' && (this.openCount.get('form') ?? 0) > 0 ? '' : name;
    if (this.tagName === '') return;
    const closes = OPEN_IMPLIES_CLOSE.get(name);
    while (closes && this.open.length > 0 && closes.has(this.open.at(-1)!)) this.pop();
    if (VOID_ELEMENTS.has(name)) return;
    const context = FOREIGN_ELEMENTS.has(name)
      ? (name as 'svg' | 'math')
      : HTML_INTEGRATION_ELEMENTS.has(name) || (name === 'foreignobject' && this.contexts.at(-1) === 'svg')
        ? 'html'
        : undefined;
    if (context) this.contexts.push(context);
    this.open.push(name);
    this.openedContext.push(context !== undefined);
    this.openCount.set(name, (this.openCount.get(name) ?? 0) + 1);
  }

  private endOpenTag(): void {
    if (this.tagName === '') return;
    this.handler.open(this.tagName, this.tagStart, this.attributes);
    if (VOID_ELEMENTS.has(this.tagName)) this.handler.close(this.tagName, this.tagStart);
    this.tagName = '';
  }

  /** Closes the innermost open element and returns its name. */
  private pop(): string {
    const name = this.open.pop()!;
    this.openCount.set(name, this.openCount.get(name)! - 1);
    if (this.openedContext.pop()) this.contexts.pop();
    this.handler.close(name, this.tokenStart);
    return name;
  }
}
