/** A document file found under a documents folder, read but not yet split. */
export interface SourceDocument {
  /** Path relative to the knowledge base's documents root, always with `/` separators (e.g. `guides/faq.md`). */
  readonly path: string;
  /**
   * Decoded text content (BOM stripped, CRLF kept as found; parsers normalise line ends themselves); "" for a
   * binary format (PDF, Word), whose text is extracted from `bytes` when it is split.
   */
  readonly content: string;
  /** The file's bytes, for a binary format only: parsed in the splitting process, where a hostile file can be killed. */
  readonly bytes?: Uint8Array;
}

/** Counts tokens the way the embedding model will, so long paragraphs are split by the model's own measure. */
export interface TokenCounter {
  /** Number of model tokens in `text`, excluding special tokens such as [CLS]/[SEP]. */
  countTokens(text: string): number;
  /** The most tokens one passage may have (the model's input window minus special tokens). */
  readonly maxTokens: number;
}

/** One retrievable unit of a document: what gets embedded, indexed and quoted. */
export interface Paragraph {
  /** Document path relative to its documents root, `/`-separated. */
  readonly document: string;
  /** Document title: first heading / `<title>`, else the file name without extension. */
  readonly title: string;
  /** Nearest heading above the paragraph ("" when there is none). */
  readonly section: string;
  /** 1-based position of the paragraph within its document. */
  readonly ordinal: number;
  /**
   * Character offsets [start, end) into the decoded document content (UTF-16 code units, BOM removed); for a PDF
   * into the text extracted from its pages, for a Word file into its HTML.
   */
  readonly start: number;
  readonly end: number;
  /** The paragraph's text, whitespace-normalised, as it will be quoted. */
  readonly text: string;
  /**
   * The section heading's anchor, for a link to the passage. Markdown: its custom id (`## Setup {#setup}` →
   * `setup`), else GitHub's slug (github-slugger, repeats numbered `setup-1`). HTML: the heading's `id` (or that of
   * an element inside it). Absent before the first heading and for headings without one.
   */
  readonly anchor?: string;
  /** The PDF page (from 1) the paragraph starts on; absent for formats without pages. */
  readonly page?: number;
  /** The document's slug from its front matter (`slug: /guide/setup`), when it declares one. */
  readonly slug?: string;
  /** Its front matter `permalink` (Jekyll: the page's path from the site root), when it declares one. */
  readonly permalink?: string;
  /**
   * Where the document says it is published (front matter `url:` / `source:`, HTML `<link rel="canonical">`), an
   * absolute http(s) URL; a link to the passage adds its `anchor`.
   */
  readonly url?: string;
  /** sha256 (hex) of `text`: identical text ⇒ identical hash ⇒ its embedding can be reused. */
  readonly hash: string;
}
