import type { SearchMode } from '../search/search-mode.ts';
import type { Span } from '../search/sentences.ts';

/** Where a reindex is, for the CLI's status line and the `/reindex` progress message. */
export interface ReindexProgress {
  /** `fetching`: a source sync is fetching pages (`documents` = pages done). */
  readonly phase: 'fetching' | 'reading' | 'embedding' | 'writing' | 'done';
  readonly documents: number;
  readonly paragraphs: number;
  /** Paragraphs embedded so far in this run, and how many need it in all. */
  readonly embedded: number;
  readonly toEmbed: number;
  readonly embeddingsPerSecond: number;
}

/** What a reindex changed, for the CLI and the `/reindex` reply. */
export interface ReindexReport {
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  readonly unchanged: number;
  readonly paragraphs: number;
  /** Paragraphs sent to the model; 0 for an unchanged corpus. */
  readonly embedded: number;
  readonly skipped: readonly { readonly path: string; readonly reason: string }[];
  readonly rebuilt: boolean;
  readonly seconds: number;
}

/** A progress update; the counts not given are 0. */
export function reindexProgress(phase: ReindexProgress['phase'], counts: Partial<Omit<ReindexProgress, 'phase'>> = {}): ReindexProgress {
  return { phase, documents: 0, paragraphs: 0, embedded: 0, toEmbed: 0, embeddingsPerSecond: 0, ...counts };
}

/** One quoted passage, with where it came from. */
export interface PassageView {
  readonly document: string;
  readonly title: string;
  readonly section: string;
  /** The paragraph's number in its document, from 1 (`paragraph` in `docqa ask --json` and the feedback log). */
  readonly paragraphNumber: number;
  /** The PDF page the passage starts on (`page` in `docqa ask --json`); absent for formats without pages. */
  readonly page?: number;
  readonly score: number;
  readonly text: string;
  /** Where the passage is published: the document's page, with its section's anchor when it has one. */
  readonly url?: string;
  /** Where the paragraph is in its document: offsets [start, end) into the decoded document content. */
  readonly start: number;
  readonly end: number;
  /** The sentence or two that best answer the question: offsets [start, end) into `text`, in order; may be empty. */
  readonly highlights: readonly Span[];
}

export interface Answer {
  readonly question: string;
  readonly mode: SearchMode;
  /** False means "no confident match": nothing scored above the threshold. */
  readonly answered: boolean;
  readonly passages: readonly PassageView[];
  /** More confident passages exist after this page. */
  readonly more: boolean;
  /** When nothing qualified: the document of the best (unconfident) passage, if any. */
  readonly closest?: { readonly title: string; readonly document: string };
  /** What the "no confident match" threshold was compared with (absent before an index exists). */
  readonly confidence?: number;
}

export interface AskOptions {
  readonly k?: number;
  /** Skip this many confident passages (the "More" button). */
  readonly offset?: number;
  /** The server asking: its own documents are searched besides the shared ones. */
  readonly server?: string;
  /** The "no confident match" threshold for this question (a server's setting); absent: the configured one. */
  readonly minScore?: number;
  /**
   * Answer only from these documents (paths as listed; a path ending in `/` takes the documents under it): a
   * channel limited to some documents. Absent: every document the server sees.
   */
  readonly documents?: readonly string[];
}

export interface DocumentInfo {
  readonly path: string;
  readonly title: string;
  readonly paragraphs: number;
  readonly indexedAt: string;
  /** "" for shared documents, else the server id. */
  readonly scope: string;
  /** Where the document is published, when it or its folder says (see DocumentLinks). */
  readonly url?: string;
}

export interface EngineStats {
  readonly mode: SearchMode;
  readonly model: string | null;
  readonly dimension: number | null;
  readonly documents: number;
  readonly paragraphs: number;
  readonly generation: number;
  readonly indexedAt: string | null;
  /**
   * Knowledge bases whose paragraphs and keyword index this process holds, and their paragraphs: all of them
   * with the file store; with the PostgreSQL store the shared documents and the servers asked about since the
   * generation was loaded.
   */
  readonly knowledgeBasesInMemory: number;
  readonly paragraphsInMemory: number;
}
