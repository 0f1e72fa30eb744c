import type { Embedder } from '../embed/embedder.ts';
import { chooseHighlight, keywordScores, sentenceScores } from '../search/highlight.ts';
import { rankWithRetriever, type RankedPassage, type RankOptions, type RetrievableIndex } from '../search/rank-passages.ts';
import { denseShare, type SearchMode } from '../search/search-mode.ts';
import { defaultCharacterWeight, defaultCoverageWeight, defaultGapWeight, defaultMinScore, selectPassages, type Selection } from '../search/select-passages.ts';
import { splitSentences, type Span } from '../search/sentences.ts';

export interface SearcherSettings {
  /** The configured mode; keyword whenever there is no embedder. */
  readonly mode: SearchMode;
  /** The "no confident match" threshold; absent: the mode's default for the question's script. */
  readonly minScore?: number;
  /** Weight of the top passage's margin over the runner-up in the confidence; absent: the mode's default. */
  readonly gapWeight?: number;
  /** Weight of the top passage's sentence coverage in the confidence; absent: the mode's default. */
  readonly coverageWeight?: number;
  /** Weight of the top passage's character coverage (Chinese questions) in the confidence; absent: the mode's default. */
  readonly characterWeight?: number;
  /** Weight of sentence coverage in the ranking (keyword and hybrid mode); absent: the tuned default. */
  readonly rankCoverageWeight?: number;
  readonly denseWeight: number;
  readonly denseWeightCjk?: number;
  readonly fusion?: RankOptions['fusion'];
  /** Candidates per retriever at the least; default {@link CANDIDATES}. */
  readonly candidates?: number;
}

/** A normalized question, embedded when the search will use vectors. */
export interface Query {
  readonly text: string;
  readonly vector: Float32Array | null;
}

export interface SearchRequest {
  readonly k: number;
  /** Skip this many confident passages (the "More" button). */
  readonly offset: number;
  /** Knowledge bases the asker may see ("" = shared documents, else a server id). */
  readonly scopes: ReadonlySet<string>;
  /** Overrides the settings' threshold for this search (a server's own). */
  readonly minScore?: number;
  /** Only paragraphs of documents this accepts are searched (a channel limited to some documents). */
  readonly documents?: (document: string) => boolean;
}

export interface SearchResult {
  /** The mode the passages were ranked in: keyword when the question was not embedded or the dense search failed. */
  readonly mode: SearchMode;
  readonly selection: Selection;
  /** Why the dense search failed (the store's vector search, a database down), when it did. */
  readonly denseFailure?: string;
}

/** Candidates per retriever for a first page of answers. */
export const CANDIDATES = 50;

/**
 * The search the bot, the CLI and the evaluation all run: embed the question, rank (dense, BM25 or both), then
 * select (threshold, near-duplicates, page). Knows nothing of where the index comes from.
 */
export class Searcher {
  constructor(
    private readonly embedder: Embedder | null,
    private readonly settings: SearcherSettings,
  ) {}

  /** The mode answers are given in: keyword when no model is loaded, whatever was configured. */
  get mode(): SearchMode {
    return this.embedder ? this.settings.mode : 'keyword';
  }

  /** Embeds the (normalized) question if a search of `index` will use its vector (not when its dense share is 0). */
  async query(text: string, index: RetrievableIndex): Promise<Query> {
    const vector = this.searchedMode(index) !== 'keyword' && denseShare(this.mode, text, this.settings) > 0 ? await this.embedder!.embedQuery(text) : null;
    return { text, vector };
  }

  /** The mode a search of `index` runs in: keyword when it has no vectors. */
  private searchedMode(index: RetrievableIndex): SearchMode {
    return index.dense ? this.mode : 'keyword';
  }

  /**
   * Ranks the index for the query and selects the requested page of confident passages. A dense search that
   * fails gives the keyword answer, with the keyword mode's threshold.
   */
  async search(index: RetrievableIndex, query: Query, request: SearchRequest): Promise<SearchResult> {
    const asked = this.searchedMode(index);
    const ranking = await rankWithRetriever(index, query.text, query.vector, {
      mode: asked,
      scopes: request.scopes,
      documents: request.documents,
      candidates: Math.max(this.settings.candidates ?? CANDIDATES, (request.offset + request.k) * 4),
      denseWeight: this.settings.denseWeight,
      denseWeightCjk: this.settings.denseWeightCjk,
      fusion: this.settings.fusion,
      coverageWeight: this.settings.rankCoverageWeight,
    });
    // A failed dense search answers as keyword mode does; a hybrid question whose dense share is 0 stays hybrid.
    const mode = asked !== 'keyword' && ranking.denseFailure !== undefined ? 'keyword' : asked;
    const minScore = request.minScore ?? this.settings.minScore ?? defaultMinScore(mode, query.text);
    const gapWeight = this.settings.gapWeight ?? defaultGapWeight(mode, query.text);
    const coverageWeight = this.settings.coverageWeight ?? defaultCoverageWeight(mode, query.text);
    const characterWeight = this.settings.characterWeight ?? defaultCharacterWeight(mode, query.text);
    const selection = selectPassages(ranking.passages, { minScore, gapWeight, coverageWeight, characterWeight, k: request.k, offset: request.offset });
    return { mode, selection, ...(ranking.denseFailure !== undefined ? { denseFailure: ranking.denseFailure } : {}) };
  }

  /**
   * The sentence or two of each passage that best answer the query (spans into its text; none when no sentence
   * matches), by the ranking's own evidence: keyword score, mixed with the sentence's cosine to the question in
   * the ranking's proportion when the query was embedded. Only the sentences of these passages are embedded, in
   * one batch.
   */
  async highlight(query: Query, passages: readonly RankedPassage[]): Promise<Span[][]> {
    const sentences = passages.map((passage) => splitSentences(passage.paragraph.text).map((span) => ({ span, text: passage.paragraph.text.slice(span.start, span.end) })));
    const keyword = sentences.map((own) => keywordScores(query.text, own.map(({ text }) => text)));
    const weight = this.sentenceDenseWeight(query);
    // Embedding is what highlighting costs: only each passage's best sentences by keywords are embedded.
    const embedded = weight > 0 ? keyword.map((scores) => topIndexes(scores, SENTENCES_EMBEDDED_PER_PASSAGE)) : keyword.map(() => []);
    const texts = embedded.flatMap((indexes, p) => indexes.map((i) => sentences[p]![i]!.text));
    const vectors = texts.length > 0 ? await this.embedder!.embedPassages(texts) : [];
    let next = 0;
    return sentences.map((own, p) => {
      const cosines = own.map(() => 0);
      for (const i of embedded[p]!) cosines[i] = dot(vectors[next++]!, query.vector!);
      return chooseHighlight(own.map(({ span }) => span), sentenceScores(keyword[p]!, weight > 0 ? cosines : null, weight));
    });
  }

  /** The weight of cosine similarity in a sentence's score: as in ranking (keyword only, dense only, or the hybrid mix). */
  private sentenceDenseWeight(query: Query): number {
    return query.vector ? denseShare(this.mode, query.text, this.settings) : 0;
  }
}

/**
 * Sentences of a passage whose cosine to the question is computed. The answer is almost always among the ones
 * sharing the question's words: measured on XQuAD en/zh and DRCD (docs/evaluation.md), this keeps the highlight
 * quality while a passage's other sentences cost no model run.
 */
const SENTENCES_EMBEDDED_PER_PASSAGE = 3;

/**
 * Indexes of the `count` highest scores (ties: the earlier sentence), leaving out sentences without a keyword in
 * common when some have one: those rarely win on their cosine alone.
 */
function topIndexes(scores: readonly number[], count: number): number[] {
  const ranked = scores.map((score, i) => ({ score, i })).sort((a, b) => b.score - a.score || a.i - b.i).slice(0, count);
  const matching = ranked.filter(({ score }) => score > 0);
  return (matching.length > 0 ? matching : ranked).map(({ i }) => i);
}

/** Cosine similarity of two unit-length vectors. */
function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}
