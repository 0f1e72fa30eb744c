import type { Embedder } from '../../embed/embedder.ts';
import { Searcher } from '../../engine/searcher.ts';
import type { StoredParagraph } from '../../store/generation.ts';
import { buildKeywordIndex } from '../../search/keyword-index.ts';
import type { RankedPassage, RetrievableIndex } from '../../search/rank-passages.ts';
import { splitSentences } from '../../search/sentences.ts';
import { percentile } from '../shared/statistics.ts';
import type { XquadCorpus } from '../shared/xquad.ts';

/** Passages an answer shows by default (TOP_K). */
const SHOWN = 3;

export interface HighlightTiming {
  readonly p50Ms: number;
  readonly p95Ms: number;
}

export interface HighlightBenchResult {
  readonly questions: number;
  /** Mean sentences in the 3 passages of a question: what the model embeds. */
  readonly meanSentences: number;
  readonly keyword: HighlightTiming;
  /** The embedder's id and its timing; null when no embedder was given. */
  readonly model: (HighlightTiming & { readonly id: string; readonly embedQueryP50Ms: number }) | null;
}

/**
 * The latency highlighting adds to a question: for each question, the 3 passages keyword search ranks first on
 * the XQuAD paragraphs, then `Searcher.highlight` timed alone, by keywords, then with the model (the question's
 * vector computed beforehand, as the search already has it; the sentences embedded in the timing).
 */
export async function benchHighlight(options: { corpus: XquadCorpus; questions: readonly string[]; embedder: Embedder | null; denseWeight: number; log: (message: string) => void }): Promise<HighlightBenchResult> {
  const paragraphs: StoredParagraph[] = options.corpus.paragraphs.map((text, label) => ({
    label, scope: '', document: `xquad-${label}`, title: '', section: '', ordinal: 1, start: 0, end: text.length, text, hash: String(label),
  }));
  const index: RetrievableIndex = { paragraphs: new Map(paragraphs.map((p) => [p.label, p])), dense: null, keywords: buildKeywordIndex(paragraphs) };
  const keyword = new Searcher(null, { mode: 'keyword', denseWeight: options.denseWeight, minScore: 0 });
  const hybrid = options.embedder ? new Searcher(options.embedder, { mode: 'hybrid', denseWeight: options.denseWeight, minScore: 0 }) : null;
  const shown: { question: string; passages: readonly RankedPassage[] }[] = [];
  for (const question of options.questions) {
    const passages = (await keyword.search(index, { text: question, vector: null }, { k: SHOWN, offset: 0, scopes: new Set(['']) })).selection.passages;
    if (passages.length > 0) shown.push({ question, passages });
  }
  const sentences = shown.reduce((sum, { passages }) => sum + passages.reduce((n, p) => n + splitSentences(p.paragraph.text).length, 0), 0);

  const keywordMs: number[] = [];
  for (const { question, passages } of shown) {
    const started = performance.now();
    await keyword.highlight({ text: question, vector: null }, passages);
    keywordMs.push(performance.now() - started);
  }
  options.log(`highlight by keywords: p50 ${percentile(keywordMs, 50).toFixed(2)} ms over ${shown.length} questions`);
  let model: HighlightBenchResult['model'] = null;
  if (hybrid && options.embedder) {
    const modelMs: number[] = [];
    // embedQuery in the same run: a yardstick of the machine's speed at that moment (its idle p50 is in docs/benchmarks.md).
    const queryMs: number[] = [];
    // Warm-up: the first batches pay for the session's allocations.
    for (const { question, passages } of shown.slice(0, 5)) await hybrid.highlight({ text: question, vector: await options.embedder.embedQuery(question) }, passages);
    for (const { question, passages } of shown) {
      const queried = performance.now();
      const vector = await options.embedder.embedQuery(question);
      queryMs.push(performance.now() - queried);
      const started = performance.now();
      await hybrid.highlight({ text: question, vector }, passages);
      modelMs.push(performance.now() - started);
    }
    model = { id: options.embedder.modelId, p50Ms: percentile(modelMs, 50), p95Ms: percentile(modelMs, 95), embedQueryP50Ms: percentile(queryMs, 50) };
    options.log(`highlight with ${model.id}: p50 ${model.p50Ms.toFixed(2)} ms`);
  }
  return {
    questions: shown.length,
    meanSentences: sentences / Math.max(1, shown.length),
    keyword: { p50Ms: percentile(keywordMs, 50), p95Ms: percentile(keywordMs, 95) },
    model,
  };
}
