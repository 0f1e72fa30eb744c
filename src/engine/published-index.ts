import { buildKeywordIndex, ScopedKeywordIndex } from '../search/keyword-index.ts';
import { StoreRetriever } from '../search/dense-retriever.ts';
import { inMemoryRetrieval, type RetrievableIndex } from '../search/rank-passages.ts';
import type { IndexContents, Manifest, StoredParagraph } from '../store/generation.ts';
import type { ScopedReads } from '../store/index-store.ts';

/** What answers are given from: one committed generation. Replaced whole when a new one is published. */
export interface Published {
  readonly manifest: Manifest;
  /** The whole generation when this process holds it (what a reindex builds on); null when it holds only some knowledge bases. */
  readonly contents: IndexContents | null;
  /** The index over the knowledge bases asked, first loading into memory those not held yet. */
  searchable(scopes: ReadonlySet<string>): Promise<RetrievableIndex>;
  /** The knowledge bases whose paragraphs and keyword index are in memory, and their paragraphs. */
  held(): { readonly scopes: readonly string[]; readonly paragraphs: number };
}

/** A generation held whole in memory, with its HNSW graph: the file store (and `POSTGRES_SEARCH=memory`). */
export class WholeGeneration implements Published {
  private readonly index: RetrievableIndex;
  private readonly scopes: ReadonlySet<string>;

  constructor(readonly contents: IndexContents) {
    const paragraphs = new Map(contents.paragraphs.map((paragraph) => [paragraph.label, paragraph]));
    this.scopes = new Set(contents.paragraphs.map((paragraph) => paragraph.scope));
    this.index = inMemoryRetrieval({ paragraphs, vectors: contents.vectors, keywords: buildKeywordIndex(contents.paragraphs), scopes: this.scopes });
  }

  get manifest(): Manifest {
    return this.contents.manifest;
  }

  async searchable(): Promise<RetrievableIndex> {
    return this.index;
  }

  held() {
    return { scopes: [...this.scopes], paragraphs: this.contents.paragraphs.length };
  }
}

export interface ScopeLoading {
  /** A knowledge base was read from a generation newer than this one (another process committed meanwhile). */
  readonly onNewerGeneration: (generation: number) => void;
  /** A knowledge base could not be read: questions are answered without it until a later one loads it. */
  readonly onLoadFailure: (scope: string, error: unknown) => void;
}

/**
 * A generation of which this process holds only the knowledge bases it has answered for: the shared documents
 * from the start, a server's at its first question. Their paragraphs and keyword indexes (one BM25 per knowledge
 * base, so its statistics are those of the file store) are in memory; dense search is the store's. Memory thus
 * grows with the servers a process answers for, not with all of them.
 */
export class ScopesOnDemand implements Published {
  readonly contents = null;
  private readonly paragraphs = new Map<number, StoredParagraph>();
  private readonly keywords = new ScopedKeywordIndex();
  private readonly loading = new Map<string, Promise<void>>();
  private readonly loaded = new Set<string>();
  private readonly index: RetrievableIndex;

  private constructor(
    readonly manifest: Manifest,
    private readonly reads: ScopedReads,
    private readonly events: ScopeLoading,
  ) {
    this.index = { paragraphs: this.paragraphs, keywords: this.keywords, dense: manifest.model ? new StoreRetriever(reads, this.paragraphs) : null };
  }

  /** The generation of `manifest`, with `scopes` loaded from the store before it is returned (so answers do not wait). */
  static async open(manifest: Manifest, reads: ScopedReads, scopes: Iterable<string>, events: ScopeLoading): Promise<ScopesOnDemand> {
    const published = new ScopesOnDemand(manifest, reads, events);
    await Promise.all([...new Set(scopes)].map((scope) => published.load(scope)));
    return published;
  }

  /** The generation this process has just committed: the knowledge bases in `scopes` come from its paragraphs, not the store. */
  static fromParagraphs(manifest: Manifest, reads: ScopedReads, paragraphs: readonly StoredParagraph[], scopes: Iterable<string>, events: ScopeLoading): ScopesOnDemand {
    const published = new ScopesOnDemand(manifest, reads, events);
    const byScope = new Map([...scopes].map((scope) => [scope, [] as StoredParagraph[]]));
    for (const paragraph of paragraphs) byScope.get(paragraph.scope)?.push(paragraph);
    for (const [scope, own] of byScope) published.hold(scope, own);
    return published;
  }

  async searchable(scopes: ReadonlySet<string>): Promise<RetrievableIndex> {
    const missing = [...scopes].filter((scope) => !this.loaded.has(scope));
    if (missing.length > 0) await Promise.all(missing.map((scope) => this.load(scope)));
    return this.index;
  }

  held() {
    return { scopes: [...this.loaded].sort(), paragraphs: this.paragraphs.size };
  }

  /** Loads a knowledge base once (concurrent questions share the read); a failed read is tried again by the next question. */
  private load(scope: string): Promise<void> {
    let loading = this.loading.get(scope);
    if (!loading) {
      loading = this.reads.readScope(scope).then(
        ({ generation, paragraphs }) => {
          if (generation > this.manifest.generation) this.events.onNewerGeneration(generation);
          this.hold(scope, paragraphs);
        },
        (error: unknown) => {
          this.loading.delete(scope);
          this.events.onLoadFailure(scope, error);
        },
      );
      this.loading.set(scope, loading);
    }
    return loading;
  }

  /** Adds a knowledge base's paragraphs in one synchronous step: a question never sees half of one. */
  private hold(scope: string, paragraphs: readonly StoredParagraph[]): void {
    if (this.loaded.has(scope)) return;
    for (const paragraph of paragraphs) {
      this.paragraphs.set(paragraph.label, paragraph);
      this.keywords.add(paragraph);
    }
    this.keywords.compact();
    this.loaded.add(scope);
    this.loading.set(scope, Promise.resolve());
  }
}
