import { tokenize as defaultTokenize } from './tokenize.ts';
import { bigramsAcrossWords } from './cjk-words.ts';

/** A document found by {@link Bm25Index.search}. */
export interface KeywordHit {
  readonly id: number;
  /** Okapi BM25 score: only comparable between hits of the same query on the same index. */
  readonly score: number;
  /**
   * How well the document covers the query, in [0, 1]: `score` divided by the best score any document could
   * reach for this query (every query term present, term frequency saturated). Comparable across queries, which
   * is what a "no confident match" threshold needs.
   */
  readonly confidence: number;
}

/** Tuning and text analysis for a {@link Bm25Index}; every field has the usual default. */
export interface Bm25Options {
  /** Term-frequency saturation: 0 = presence only, larger = repeated terms keep adding. Default 1.2. */
  k1?: number;
  /** Length normalisation: 0 = none, 1 = full (long documents pay fully). Default 0.75. */
  b?: number;
  /** Turns documents and queries into terms. Default: {@link defaultTokenize | tokenize} with its defaults. */
  tokenize?: (text: string) => string[];
}

/**
 * One term's postings, unordered: `entries` holds {@link ENTRY_SIZE} numbers per document, side by side: its slot
 * and the term's frequency in it. A typed array per term instead of a `Map<id, tf>` makes scoring a linear scan
 * and costs 8 bytes a posting instead of ~30. Storage grows by doubling and is not shrunk on removal: a
 * re-indexed document mostly brings its terms back.
 */
interface Posting {
  entries: Int32Array;
  /** Documents in this posting (df); `entries` has room for more. */
  size: number;
}

const ENTRY_SIZE = 2;
const NON_ASCII = /[^\x00-\x7F]/;

interface IndexedDocument {
  readonly id: number;
  /** Number of terms the tokenizer produced, repeats included (BM25's document length; stop words don't count), ≥ 1. */
  readonly length: number;
  /** Distinct terms, so that removal visits only this document's postings. */
  readonly terms: readonly string[];
}

interface ScoredId {
  readonly id: number;
  readonly score: number;
}

const INITIAL_POSTING_CAPACITY = 2;
const INITIAL_SLOT_CAPACITY = 64;

/**
 * An incremental, in-memory Okapi BM25 inverted index over documents keyed by numeric ids.
 *
 * Scoring is Lucene's BM25: idf(t) = ln(1 + (N − df + 0.5) / (df + 0.5)), and a document scores
 * Σ idf(t) · tf·(k1 + 1) / (tf + k1·(1 − b + b·dl/avgdl)) over the query's terms. Each distinct query term counts
 * once, however often the question repeats it: questions are short, and a repeated word ("X vs X") is phrasing,
 * not extra weight. It also keeps {@link KeywordHit.confidence} bounded by 1.
 *
 * A document without terms is not indexed at all: no query can find it, and counted in N and avgdl it would only
 * shift everyone else's scores (thousands of emoji-only paragraphs pull avgdl towards zero).
 *
 * Several indexes can be searched as one collection ({@link Bm25Index.searchAll}): the engine keeps one per
 * knowledge base, so that statistics come from exactly the documents the asker may see.
 *
 * Internally each document gets a dense slot (reused after removal), so that lengths and per-query score
 * accumulators are typed arrays indexed by slot rather than maps keyed by id.
 *
 * @see https://en.wikipedia.org/wiki/Okapi_BM25
 */
export class Bm25Index {
  private readonly k1: number;
  private readonly b: number;
  private readonly tokenize: (text: string) => string[];
  private readonly postings = new Map<string, Posting>();
  private readonly slotOf = new Map<number, number>();
  private readonly documents: (IndexedDocument | undefined)[] = [];
  private readonly freeSlots: number[] = [];
  /** Reused by every add(), which would otherwise allocate a map per document. */
  private readonly frequencyScratch = new Map<string, number>();
  /** Document length by slot: read once per posting while scoring, so kept apart from the document objects. */
  private lengths = new Int32Array(INITIAL_SLOT_CAPACITY);
  /** Per-query scratch, all zeros between searches: score by slot, and the slots that have one. */
  private scores = new Float64Array(INITIAL_SLOT_CAPACITY);
  private touched = new Int32Array(INITIAL_SLOT_CAPACITY);
  /** Kept up to date on add/remove so that avgdl never needs a pass over the documents. */
  private totalLength = 0;
  /**
   * k1·(1 − b + b·dl/avgdl) by slot, the length part of every posting's score, for the avgdl of `normsAverage`:
   * recomputed by the first search after a change rather than once per posting.
   */
  private norms = new Float64Array(0);
  private normsAverage = Number.NaN;

  constructor(options: Bm25Options = {}) {
    const { k1 = 1.2, b = 0.75, tokenize = defaultTokenize } = options;
    if (!Number.isFinite(k1) || k1 < 0) throw new RangeError(`BM25 k1 must be a finite number ≥ 0, got ${k1}`);
    if (!(b >= 0 && b <= 1)) throw new RangeError(`BM25 b must be in [0, 1], got ${b}`);
    this.k1 = k1;
    this.b = b;
    this.tokenize = tokenize;
  }

  /** Builds an index from `[id, text]` pairs; a later pair with the same id replaces an earlier one. */
  static fromEntries(entries: Iterable<readonly [number, string]>, options?: Bm25Options): Bm25Index {
    const index = new Bm25Index(options);
    for (const [id, text] of entries) index.add(id, text);
    return index;
  }

  /**
   * Gives back the room postings keep for growth (up to half of them, after doubling): for an index that is
   * built once and then only searched, as the engine's is. Adding afterwards still works, growing again.
   */
  compact(): void {
    for (const posting of this.postings.values()) {
      const used = ENTRY_SIZE * posting.size;
      if (posting.entries.length > used) posting.entries = posting.entries.slice(0, used);
    }
  }

  /** Number of documents indexed (N); documents without any term are not. */
  get size(): number {
    return this.slotOf.size;
  }

  has(id: number): boolean {
    return this.slotOf.has(id);
  }

  /** Indexes `text` under `id`, replacing whatever `id` held before; a text without terms only removes `id`. */
  add(id: number, text: string): void {
    // Tokenized before removing: a throwing tokenizer must not lose the old version.
    this.addTerms(id, this.tokenize(text));
  }

  /**
   * Indexes terms already produced by this index's tokenizer (for callers that tokenize a text's parts apart),
   * replacing whatever `id` held before; no terms only removes `id`.
   */
  addTerms(id: number, tokens: readonly string[]): void {
    this.remove(id);
    if (tokens.length === 0) return;
    const frequencies = this.frequencyScratch;
    frequencies.clear();
    for (const term of tokens) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);

    const slot = this.allocateSlot();
    const terms: string[] = [];
    for (const [term, frequency] of frequencies) {
      let posting = this.postings.get(term);
      if (posting === undefined) {
        posting = { entries: new Int32Array(ENTRY_SIZE * INITIAL_POSTING_CAPACITY), size: 0 };
        this.postings.set(term, posting);
      }
      appendPosting(posting, slot, frequency);
      terms.push(term);
    }
    this.documents[slot] = { id, length: tokens.length, terms };
    this.lengths[slot] = tokens.length;
    this.normsAverage = Number.NaN;
    this.slotOf.set(id, slot);
    this.totalLength += tokens.length;
  }

  /** Removes `id` from the index; an unknown id is ignored. */
  remove(id: number): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    const document = this.documents[slot]!;
    for (const term of document.terms) {
      const posting = this.postings.get(term)!;
      // Found by a scan (O(df)): the engine rebuilds its index rather than removing, so removal need not be fast,
      // and positions kept for it would cost 4 bytes a posting plus a buffer a document (~37 MiB at 100k).
      const { entries } = posting;
      const end = ENTRY_SIZE * posting.size;
      let at = 0;
      while (entries[at] !== slot) at += ENTRY_SIZE;
      // Swap-remove: the last entry fills the hole.
      entries.copyWithin(at, end - ENTRY_SIZE, end);
      posting.size--;
      // Drop empty postings: df must fall to 0 (a term nobody has) and the vocabulary must not only grow.
      if (posting.size === 0) this.postings.delete(term);
    }
    this.documents[slot] = undefined;
    this.freeSlots.push(slot);
    this.slotOf.delete(id);
    this.totalLength -= document.length;
    this.normsAverage = Number.NaN;
  }

  /**
   * The at most `k` best documents sharing at least one term with `query` and accepted by `filter`, best first
   * (score descending, then id ascending). A query without terms (only stop words, punctuation or emoji) finds
   * nothing. Only the postings of the query's terms are read; `filter` is asked only about documents that would
   * enter the top k, so it may cost a lookup.
   */
  search(query: string, k: number, filter?: (id: number) => boolean): KeywordHit[] {
    return Bm25Index.searchAll([this], query, k, filter);
  }

  /**
   * Searches several indexes as one collection: N, each term's df and avgdl are summed over exactly these
   * indexes, so scores depend on their documents and on no others. The indexes must hold disjoint ids and share
   * their options (the first one's tokenizer, k1 and b are used). Otherwise as {@link search}.
   */
  static searchAll(indexes: readonly Bm25Index[], query: string, k: number, filter?: (id: number) => boolean): KeywordHit[] {
    const limit = Math.floor(k);
    const n = indexes.reduce((sum, index) => sum + index.slotOf.size, 0);
    if (!(limit > 0) || n === 0) return [];
    const { k1, tokenize } = indexes[0]!;
    const terms = new Set(tokenize(query));
    if (terms.size === 0) return [];

    const averageLength = indexes.reduce((sum, index) => sum + index.totalLength, 0) / n;
    const idfs = new Map<string, number>();
    // The limit of each term's contribution as tf → ∞ is idf·(k1 + 1), whatever the length: their sum is the
    // best score possible for this query. Terms no document contains are included on purpose: a passage cannot
    // cover a question word that appears nowhere, so confidence drops (typos too: hybrid search covers those).
    // Not a Chinese bigram across two words that no document holds: phrasing, not a missing word.
    let bestPossible = 0;
    for (const [term, { idf, df }] of Bm25Index.boundStatistics(indexes, query, terms, n)) {
      bestPossible += idf * (k1 + 1);
      if (df > 0) idfs.set(term, idf);
    }
    const touchedCounts = new Int32Array(indexes.length);
    try {
      let hits: ScoredId[] = [];
      indexes.forEach((index, i) => {
        touchedCounts[i] = index.accumulate(idfs, averageLength);
        const top = index.selectTop(touchedCounts[i]!, limit, filter);
        hits = i === 0 ? top : hits.concat(top);
      });
      if (indexes.length > 1) hits.sort((a, b) => b.score - a.score || a.id - b.id).splice(limit);
      return hits.map(({ id, score }) => ({
        id,
        score,
        // Clamped because rounding may put a fully saturated score (k1 = 0) a hair above the bound.
        confidence: Math.min(1, score / bestPossible),
      }));
    } finally {
      // Also when `filter` throws: a dirty accumulator would corrupt every later search.
      indexes.forEach((index, i) => index.clearScores(touchedCounts[i]!));
    }
  }

  /**
   * The idf of each distinct term of `query` over these indexes as one collection (as {@link searchAll} weighs
   * them), terms no document holds included, at the highest idf, unless {@link searchAll} leaves them out of
   * its bound too. Empty for an empty collection or a query without terms.
   */
  static termWeights(indexes: readonly Bm25Index[], query: string): Map<string, number> {
    const n = indexes.reduce((sum, index) => sum + index.slotOf.size, 0);
    if (n === 0) return new Map();
    const terms = new Set(indexes[0]!.tokenize(query));
    return new Map([...Bm25Index.boundStatistics(indexes, query, terms, n)].map(([term, { idf }]) => [term, idf]));
  }

  /**
   * {@link termStatistics} of the terms a query's best possible score counts: all but the CJK bigrams that no
   * document holds and that only straddle two of its words (see {@link bigramsAcrossWords}). The word breaker
   * runs only when such a bigram may exist.
   */
  private static boundStatistics(indexes: readonly Bm25Index[], query: string, terms: ReadonlySet<string>, n: number): Map<string, { idf: number; df: number }> {
    const statistics = Bm25Index.termStatistics(indexes, terms, n);
    if (!NON_ASCII.test(query) || ![...statistics.values()].some(({ df }) => df === 0)) return statistics;
    const across = bigramsAcrossWords(query);
    for (const [term, { df }] of statistics) if (df === 0 && across.has(term)) statistics.delete(term);
    return statistics;
  }

  private static termStatistics(indexes: readonly Bm25Index[], terms: ReadonlySet<string>, n: number): Map<string, { idf: number; df: number }> {
    const statistics = new Map<string, { idf: number; df: number }>();
    for (const term of terms) {
      const df = indexes.reduce((sum, index) => sum + (index.postings.get(term)?.size ?? 0), 0);
      statistics.set(term, { idf: Math.log(1 + (n - df + 0.5) / (df + 0.5)), df });
    }
    return statistics;
  }

  /**
   * Adds each term's BM25 contribution to the score of every document holding it; returns how many were touched.
   * Searched alone, the length norms come from a cache; searched with other indexes (another avgdl, which changes
   * with the asker) they are computed per posting, which costs less than refreshing the cache for every query.
   */
  private accumulate(idfs: ReadonlyMap<string, number>, averageLength: number): number {
    const { k1, b, scores, touched, lengths } = this;
    const norms = averageLength === this.totalLength / this.slotOf.size ? this.lengthNorms(averageLength) : null;
    let touchedCount = 0;
    for (const [term, idf] of idfs) {
      const posting = this.postings.get(term);
      if (posting === undefined) continue;
      const { entries } = posting;
      const end = ENTRY_SIZE * posting.size;
      // Two copies of the loop rather than a test per posting: this is the hot path of keyword search.
      // Every contribution is > 0 (idf > 0, tf ≥ 1), so a zero score means "not touched yet".
      if (norms !== null) {
        for (let i = 0; i < end; i += ENTRY_SIZE) {
          const slot = entries[i]!;
          const tf = entries[i + 1]!;
          if (scores[slot] === 0) touched[touchedCount++] = slot;
          scores[slot]! += (idf * tf * (k1 + 1)) / (tf + norms[slot]!);
        }
      } else {
        for (let i = 0; i < end; i += ENTRY_SIZE) {
          const slot = entries[i]!;
          const tf = entries[i + 1]!;
          if (scores[slot] === 0) touched[touchedCount++] = slot;
          // The same expression as the cache's, so that both give the same bits.
          const norm = k1 * (1 - b + (b * lengths[slot]!) / averageLength);
          scores[slot]! += (idf * tf * (k1 + 1)) / (tf + norm);
        }
      }
    }
    return touchedCount;
  }

  private clearScores(touchedCount: number): void {
    for (let i = 0; i < touchedCount; i++) this.scores[this.touched[i]!] = 0;
  }

  /**
   * The best `limit` accepted documents among the touched slots, sorted. A bounded min-heap whose root is the
   * worst hit kept: O(n log k) instead of sorting every candidate, which matters when a common term matches most
   * of a large corpus.
   */
  private selectTop(touchedCount: number, limit: number, filter?: (id: number) => boolean): ScoredId[] {
    const heap: ScoredId[] = [];
    for (let i = 0; i < touchedCount; i++) {
      const slot = this.touched[i]!;
      const score = this.scores[slot]!;
      const full = heap.length >= limit;
      // Most candidates of a large result set lose to the worst hit kept: reject them on the score alone, before
      // reading their document (a cache miss each: measured as most of the search time on a 100k index).
      if (full && score < heap[0]!.score) continue;
      const id = this.documents[slot]!.id;
      if (full && score === heap[0]!.score && id > heap[0]!.id) continue;
      if (filter !== undefined && !filter(id)) continue;
      if (full) {
        heap[0] = { id, score };
        siftDown(heap, 0);
      } else {
        heap.push({ id, score });
        siftUp(heap, heap.length - 1);
      }
    }
    return heap.sort((a, b) => b.score - a.score || a.id - b.id);
  }

  private lengthNorms(averageLength: number): Float64Array {
    if (this.normsAverage !== averageLength) {
      const { k1, b, lengths } = this;
      if (this.norms.length !== lengths.length) this.norms = new Float64Array(lengths.length);
      for (let slot = 0; slot < this.documents.length; slot++) this.norms[slot] = k1 * (1 - b + (b * lengths[slot]!) / averageLength);
      this.normsAverage = averageLength;
    }
    return this.norms;
  }

  private allocateSlot(): number {
    const reused = this.freeSlots.pop();
    if (reused !== undefined) return reused;
    const slot = this.documents.length;
    this.documents.push(undefined);
    if (slot >= this.lengths.length) {
      const capacity = 2 * this.lengths.length;
      this.lengths = grow(this.lengths, capacity);
      // Both scratch arrays are all zeros between searches, so fresh ones are as good as copies.
      this.scores = new Float64Array(capacity);
      this.touched = new Int32Array(capacity);
    }
    return slot;
  }
}

/** Appends a document's entry to a posting, doubling its storage when full. */
function appendPosting(posting: Posting, slot: number, frequency: number): void {
  const offset = ENTRY_SIZE * posting.size;
  if (offset === posting.entries.length) posting.entries = grow(posting.entries, 2 * posting.entries.length);
  posting.entries[offset] = slot;
  posting.entries[offset + 1] = frequency;
  posting.size++;
}

function grow(array: Int32Array, capacity: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(capacity);
  grown.set(array);
  return grown;
}

/** True if `a` ranks below `b`: lower score, or equal score and higher id. */
function ranksBelow(a: ScoredId, b: ScoredId): boolean {
  return a.score < b.score || (a.score === b.score && a.id > b.id);
}

function siftUp(heap: ScoredId[], index: number): void {
  const item = heap[index]!;
  while (index > 0) {
    const parent = (index - 1) >> 1;
    if (!ranksBelow(item, heap[parent]!)) break;
    heap[index] = heap[parent]!;
    index = parent;
  }
  heap[index] = item;
}

function siftDown(heap: ScoredId[], index: number): void {
  const item = heap[index]!;
  const half = heap.length >> 1;
  while (index < half) {
    let child = 2 * index + 1;
    const right = child + 1;
    if (right < heap.length && ranksBelow(heap[right]!, heap[child]!)) child = right;
    if (!ranksBelow(heap[child]!, item)) break;
    heap[index] = heap[child]!;
    index = child;
  }
  heap[index] = item;
}
