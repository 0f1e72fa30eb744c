import { denseShare, type SearchMode } from './search-mode.ts';
import type { StoredParagraph } from '../store/generation.ts';
import type { VectorIndex } from '../index/vector-index.ts';
import type { ScopedKeywordIndex } from './keyword-index.ts';
import { characterCoverage, sentenceCoverage, sentenceCoverageRankWeight } from './sentence-coverage.ts';
import { cjkCharacters } from './script.ts';
import { searchInMemory, VectorIndexRetriever, type DenseRequest, type DenseResult, type DenseRetriever } from './dense-retriever.ts';

/** What ranking reads: the paragraphs by label and the two indexes over them. */
export interface SearchableIndex {
  readonly paragraphs: ReadonlyMap<number, StoredParagraph>;
  readonly vectors: VectorIndex | null;
  readonly keywords: ScopedKeywordIndex;
  /** Knowledge bases present in the index, when known: lets a dense search that may see all of them skip filtering. */
  readonly scopes?: ReadonlySet<string>;
}

export interface RankedPassage {
  readonly paragraph: StoredParagraph;
  /** The score the threshold applies to, in [0, 1]. */
  readonly score: number;
  /** {@link sentenceCoverage} of the question by this passage, in [0, 1]; absent in dense mode (not computed). */
  readonly coverage?: number;
  /**
   * {@link characterCoverage} of a question holding Chinese, Japanese or Korean characters, on the top passage
   * only (what the "no confident match" decision reads) and only where keywords are used.
   */
  readonly characterCoverage?: number;
}

export interface RankOptions {
  readonly mode: SearchMode;
  /** Knowledge bases the asker may see ("" = shared documents, else a server id). */
  readonly scopes: ReadonlySet<string>;
  /**
   * Only paragraphs of the documents this accepts: both retrievers filter while searching, so a limited channel
   * still gets its `candidates`. Keyword statistics stay those of the knowledge bases (the threshold means the same).
   */
  readonly documents?: (document: string) => boolean;
  /** How many candidates each retriever contributes before fusion. */
  readonly candidates: number;
  /** Weight of dense similarity in hybrid mode; the keyword confidence gets the rest. */
  readonly denseWeight: number;
  /**
   * Weight of dense similarity for questions mostly in Chinese, Japanese or Korean characters (HYBRID_DENSE_WEIGHT_CJK);
   * default {@link DEFAULT_HYBRID_DENSE_WEIGHT_CJK}. An English-only model's cosine says little about them.
   */
  readonly denseWeightCjk?: number;
  /**
   * `convex` (default): the weighted mix of the two calibrated scores, ranked and thresholded. `rrf`: ranked by
   * reciprocal-rank fusion (1/(60 + rank) from each retriever), each passage still carrying its convex score for
   * the threshold. Kept for evaluation (`docqa eval --fusion rrf`).
   */
  readonly fusion?: 'convex' | 'rrf';
  /** Weight of {@link sentenceCoverage} in the score where keywords are used; default {@link sentenceCoverageRankWeight}, by the question's script. */
  readonly coverageWeight?: number;
}

/** What ranking reads when its dense hits come from anywhere (memory or the store): see {@link rankWithRetriever}. */
export interface RetrievableIndex {
  /** The paragraphs of (at least) the knowledge bases asked, by label. */
  readonly paragraphs: ReadonlyMap<number, StoredParagraph>;
  /** Null for a keyword-only index. */
  readonly dense: DenseRetriever | null;
  readonly keywords: ScopedKeywordIndex;
}

/** The passages ranked, and whether dense similarity took part (false when the question fell back to keywords). */
export interface Ranking {
  readonly passages: RankedPassage[];
  readonly dense: boolean;
  /** Why the dense search failed, when it did: the question was ranked by keywords alone. */
  readonly denseFailure?: string;
}

/** The dense retriever of an in-memory index (null when it has no vectors). */
export function inMemoryRetrieval(index: SearchableIndex): RetrievableIndex {
  return { paragraphs: index.paragraphs, keywords: index.keywords, dense: index.vectors && new VectorIndexRetriever(index.vectors, index.paragraphs, index.scopes) };
}

/**
 * Ranks paragraphs for a question. Hybrid mode fuses the two retrievers with a convex mix of calibrated scores
 * (cosine similarity and BM25 coverage, both in [0, 1]) rather than reciprocal-rank fusion: ranks alone cannot
 * say "nothing here is relevant", and the "no confident match" threshold needs an absolute score. Synchronous,
 * over an index held in memory; {@link rankWithRetriever} is the same ranking for dense hits from anywhere.
 */
export function rankPassages(
  index: SearchableIndex,
  question: string,
  queryVector: Float32Array | null,
  options: RankOptions,
): RankedPassage[] {
  const useDense = options.mode !== 'keyword' && queryVector !== null && index.vectors !== null && denseShare(options.mode, question, options) > 0;
  const keyword = keywordHits(index, question, options, useDense);
  const dense = useDense ? searchInMemory(index.vectors!, index.paragraphs, denseRequest(queryVector!, keyword, options), index.scopes) : null;
  return fusePassages(index, question, dense, keyword, options);
}

/**
 * {@link rankPassages} with dense hits from a {@link DenseRetriever} (one call per question). A dense search that
 * fails (a database down) leaves the question ranked by keywords alone, as in keyword mode, with the reason.
 */
export async function rankWithRetriever(
  index: RetrievableIndex,
  question: string,
  queryVector: Float32Array | null,
  options: RankOptions,
): Promise<Ranking> {
  const useDense = options.mode !== 'keyword' && queryVector !== null && index.dense !== null && denseShare(options.mode, question, options) > 0;
  let keyword = keywordHits(index, question, options, useDense);
  if (!useDense) return { passages: fusePassages(index, question, null, keyword, options), dense: false };
  try {
    const dense = await index.dense!.retrieve(denseRequest(queryVector!, keyword, options));
    return { passages: fusePassages(index, question, dense, keyword, options), dense: true };
  } catch (error) {
    keyword ??= keywordHits(index, question, options, false);
    const denseFailure = error instanceof Error ? error.message : String(error);
    return { passages: fusePassages(index, question, null, keyword, options), dense: false, denseFailure };
  }
}

/** Keyword hits by label (null in dense mode with vectors: keywords take no part then). Per knowledge base, with their own statistics. */
function keywordHits(
  index: Pick<SearchableIndex, 'paragraphs' | 'keywords'>,
  question: string,
  options: RankOptions,
  useDense: boolean,
): ReadonlyMap<number, number> | null {
  if (options.mode === 'dense' && useDense) return null;
  const { documents } = options;
  const ofDocuments = documents && ((label: number) => documents(index.paragraphs.get(label)?.document ?? '\0'));
  const keyword = new Map<number, number>();
  for (const hit of index.keywords.search(question, options.candidates, options.scopes, ofDocuments)) keyword.set(hit.id, hit.confidence);
  return keyword;
}

function denseRequest(vector: Float32Array, keyword: ReadonlyMap<number, number> | null, options: RankOptions): DenseRequest {
  return { vector, k: options.candidates, scopes: options.scopes, documents: options.documents, alsoScore: keyword ? [...keyword.keys()] : [] };
}

/**
 * The fusion step, pure: dense hits (null when dense similarity takes no part) and keyword confidences by label
 * become ranked passages. A keyword-only hit is scored with its cosine from `dense.similarities`, which is
 * cheap to compute and fairer than assuming zero.
 */
export function fusePassages(
  index: Pick<RetrievableIndex, 'paragraphs' | 'keywords'>,
  question: string,
  denseResult: DenseResult | null,
  keyword: ReadonlyMap<number, number> | null,
  options: RankOptions,
): RankedPassage[] {
  const dense = new Map<number, number>();
  for (const hit of denseResult?.nearest ?? []) dense.set(hit.label, Math.max(0, hit.similarity));
  const keywords = keyword ?? new Map<number, number>();
  const useDense = denseResult !== null;
  const useKeywords = keyword !== null;
  const weight = useDense && useKeywords ? denseShare(options.mode, question, options) : useDense ? 1 : 0;
  const labels = new Set([...dense.keys(), ...keywords.keys()]);
  // Keyword evidence beyond the passage's bag of words (whether one sentence holds the question's terms), so none
  // when keywords have no share: dense mode, or a hybrid weight of 1.
  const coverageWeight = options.coverageWeight ?? sentenceCoverageRankWeight(question);
  const termWeights = useKeywords && weight < 1 ? index.keywords.termWeights(question, options.scopes) : null;
  const ranked: RankedPassage[] = [];
  for (const label of labels) {
    const paragraph = index.paragraphs.get(label);
    if (!paragraph) continue;
    let similarity = dense.get(label);
    if (similarity === undefined && weight > 0) similarity = Math.max(0, denseResult!.similarities.get(label) ?? 0);
    ranked.push({ paragraph, score: weight * (similarity ?? 0) + (1 - weight) * (keywords.get(label) ?? 0) });
  }
  if (termWeights !== null) {
    ranked.sort(byScore);
    ranked.forEach((passage, i) => {
      // Splitting and tokenizing every candidate would cost more than the search itself: only the first ones can
      // still reach the top of the list; the rest count as covering nothing.
      const coverage = i < COVERAGE_DEPTH ? sentenceCoverage(termWeights, passage.paragraph) : 0;
      ranked[i] = { paragraph: passage.paragraph, score: (1 - coverageWeight) * passage.score + coverageWeight * coverage, coverage };
    });
  }
  const ordered = options.fusion === 'rrf' && useDense && useKeywords ? byReciprocalRank(ranked, dense, keywords) : ranked.sort(byScore);
  const top = ordered[0];
  if (useKeywords && top !== undefined && cjkCharacters(question).length > 0) ordered[0] = { ...top, characterCoverage: characterCoverage(question, top.paragraph) };
  return ordered;
}

/** Candidates (by the retrievers' score) whose {@link sentenceCoverage} is computed. */
const COVERAGE_DEPTH = 20;

function byScore(a: RankedPassage, b: RankedPassage): number {
  return b.score - a.score || a.paragraph.label - b.paragraph.label;
}

/** Reciprocal-rank fusion (k = 60, Cormack et al. 2009): a passage absent from a retriever's list gets nothing from it. */
function byReciprocalRank(ranked: RankedPassage[], dense: ReadonlyMap<number, number>, keyword: ReadonlyMap<number, number>): RankedPassage[] {
  const rankIn = (scores: ReadonlyMap<number, number>) => new Map([...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([label], i) => [label, i + 1]));
  const denseRank = rankIn(dense), keywordRank = rankIn(keyword);
  const fused = (label: number) => [denseRank.get(label), keywordRank.get(label)].reduce<number>((sum, rank) => sum + (rank === undefined ? 0 : 1 / (60 + rank)), 0);
  return ranked
    .map((passage) => ({ passage, fused: fused(passage.paragraph.label) }))
    .sort((a, b) => b.fused - a.fused || b.passage.score - a.passage.score || a.passage.paragraph.label - b.passage.paragraph.label)
    .map(({ passage }) => passage);
}
