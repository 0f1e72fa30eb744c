import { tokenize } from '../index/tokenize.ts';

/** Where a logged question came from: a row of `questions`, or an imported 👎 vote with no question row. */
export interface LoggedRef {
  readonly kind: 'question' | 'feedback';
  readonly id: number;
}

/** A question the documents did not answer: "no confident match", or answered and voted 👎. */
export interface UnansweredQuestion {
  readonly ref: LoggedRef;
  readonly text: string;
  readonly at: number;
  readonly link: string | undefined;
  readonly reason: 'no-match' | 'down';
}

/** Questions that ask the same thing, most recent example first. */
export interface UnansweredGroup {
  /** The most recent wording. */
  readonly text: string;
  readonly count: number;
  readonly noMatch: number;
  readonly down: number;
  readonly lastAt: number;
  /** A jump link to the most recent example that has one. */
  readonly link: string | undefined;
  readonly members: readonly LoggedRef[];
}

/** Embeds question texts (the engine's model); null when no model is loaded. */
export type EmbedTexts = (texts: readonly string[]) => Promise<readonly (readonly number[])[] | null>;

export interface GroupOptions {
  readonly embed?: EmbedTexts;
  /** Distinct wordings considered, the most frequent first (bounds the time on a large log). */
  readonly maxDistinct?: number;
  /** Cosine similarity from which two wordings are one group (embeddings). */
  readonly minCosine?: number;
  /** Share of shared terms (Jaccard) from which two wordings are one group (keywords). */
  readonly minJaccard?: number;
}

export interface Grouping {
  readonly groups: UnansweredGroup[];
  readonly method: 'embedding' | 'keywords';
}

/**
 * all-MiniLM-L6-v2 puts paraphrases ("how do I reset my password" / "password reset not working") above 0.8 and
 * different questions on one topic ("reset password" / "change username") around 0.5-0.7.
 */
const MIN_COSINE = 0.8;
/** Two of three terms in common: "reset password" and "password reset not working" meet, "reset email" does not. */
const MIN_JACCARD = 0.5;
const MAX_DISTINCT = 1000;

interface Wording {
  readonly key: string;
  readonly terms: ReadonlySet<string>;
  readonly questions: UnansweredQuestion[];
  vector?: readonly number[];
}

/**
 * Groups questions that ask the same thing. Wordings with the same terms (stemmed, stop words dropped: "How do I
 * reset my password?" and "reset password") are one wording; wordings, the most frequent first, then join the
 * first group whose first wording is similar enough (cosine of embeddings when `embed` gives vectors, else the
 * share of shared terms), or start a group. Groups come most frequent first, then most recent.
 */
export async function groupQuestions(questions: readonly UnansweredQuestion[], options: GroupOptions = {}): Promise<Grouping> {
  const wordings = distinctWordings(questions).slice(0, options.maxDistinct ?? MAX_DISTINCT);
  const vectors = wordings.length > 0 && options.embed ? await options.embed(wordings.map((wording) => wording.questions[0]!.text)) : null;
  if (vectors) wordings.forEach((wording, index) => (wording.vector = normalize(vectors[index]!)));
  const similar = vectors
    ? (a: Wording, b: Wording) => dot(a.vector!, b.vector!) >= (options.minCosine ?? MIN_COSINE)
    : (a: Wording, b: Wording) => a.key === b.key || jaccard(a.terms, b.terms) >= (options.minJaccard ?? MIN_JACCARD);

  const clusters: Wording[][] = [];
  for (const wording of wordings) {
    const cluster = clusters.find((candidate) => similar(candidate[0]!, wording));
    if (cluster) cluster.push(wording);
    else clusters.push([wording]);
  }
  const groups = clusters.map((cluster) => toGroup(cluster.flatMap((wording) => wording.questions)));
  groups.sort((a, b) => b.count - a.count || b.lastAt - a.lastAt);
  return { groups, method: vectors ? 'embedding' : 'keywords' };
}

function distinctWordings(questions: readonly UnansweredQuestion[]): Wording[] {
  const byKey = new Map<string, Wording>();
  for (const question of [...questions].sort((a, b) => b.at - a.at)) {
    const terms = [...new Set(tokenize(question.text))].sort();
    // A question without terms (emoji only) is only the same as the same text.
    const key = terms.length > 0 ? terms.join(' ') : `\u0000${question.text.trim().toLowerCase()}`;
    const wording = byKey.get(key) ?? { key, terms: new Set(terms), questions: [] };
    wording.questions.push(question);
    byKey.set(key, wording);
  }
  return [...byKey.values()].sort((a, b) => b.questions.length - a.questions.length || b.questions[0]!.at - a.questions[0]!.at);
}

function toGroup(questions: UnansweredQuestion[]): UnansweredGroup {
  questions.sort((a, b) => b.at - a.at);
  return {
    text: questions[0]!.text,
    count: questions.length,
    noMatch: questions.filter((question) => question.reason === 'no-match').length,
    down: questions.filter((question) => question.reason === 'down').length,
    lastAt: questions[0]!.at,
    link: questions.find((question) => question.link !== undefined)?.link,
    members: questions.map((question) => question.ref),
  };
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const term of a) if (b.has(term)) shared += 1;
  return shared / (a.size + b.size - shared);
}

function normalize(vector: readonly number[]): number[] {
  const length = Math.hypot(...vector) || 1;
  return vector.map((value) => value / length);
}

function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let index = 0; index < a.length; index += 1) sum += a[index]! * b[index]!;
  return sum;
}
