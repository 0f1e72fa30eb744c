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
