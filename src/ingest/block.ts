import type { MappedText } from './mapped-text.ts';

/**
 * How a block's text is laid out: `prose` has its whitespace collapsed to single spaces; `lines` (lists, code,
 * tables) keeps its line breaks.
 */
export type BlockLayout = 'prose' | 'lines';

/** A run of document text that becomes one paragraph, or part of one when it is too short to stand alone. */
export interface Block extends MappedText {
  /** Nearest heading above the block ("" when there is none). */
  readonly section: string;
  readonly layout: BlockLayout;
  /** The section heading's anchor (its `{#id}`, else its GitHub-style slug), when it has one. */
  readonly anchor?: string;
  /** The PDF page (from 1) the block starts on. */
  readonly page?: number;
  /** Blocks of one container (an admonition) share a group; fragments join only within their group. */
  readonly group?: number;
}

/** What a format-specific reader finds in a document. */
export interface DocumentBlocks {
  /** The document's own title (first heading, `<title>`), or undefined to fall back to its file name. */
  readonly title: string | undefined;
  /** The blocks in document order, normalised, none empty. */
  readonly blocks: Block[];
  /** The page's slug from its front matter (docs sites), for links to it. */
  readonly slug?: string;
  /** Its front matter `permalink` (Jekyll). */
  readonly permalink?: string;
  /** Where the document says it is published: front matter `url:` / `source:`, HTML `<link rel="canonical">`. */
  readonly url?: string;
}
