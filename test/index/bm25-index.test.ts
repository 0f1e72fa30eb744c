import { describe, it, expect } from 'vitest';
import { Bm25Index } from '../../src/index/bm25-index.ts';
import { bigramsAcrossWords } from '../../src/index/cjk-words.ts';

/** Whitespace splitting, so that hand-computed scores depend on BM25 alone, not on stemming or stop words. */
const words = (text: string) => text.split(/\s+/).filter(Boolean);

const ids = (hits: { id: number }[]) => hits.map((hit) => hit.id);

describe('Bm25Index scoring', () => {
  it('matches Okapi BM25 with the Lucene idf, computed by hand on three documents', () => {
    const index = Bm25Index.fromEntries(
      [
        [1, 'fox dog'], //          dl = 2
        [2, 'fox fox cat'], //      dl = 3
        [3, 'cat bird owl emu'], // dl = 4
      ],
      { tokenize: words },
    );
    // N = 3, avgdl = (2 + 3 + 4) / 3 = 3, k1 = 1.2, b = 0.75.
    // idf(fox) = ln(1 + (3 − 2 + 0.5) / (2 + 0.5)) = ln(1 + 1.5 / 2.5) = ln(1.6)
    // doc 2: tf = 2, dl/avgdl = 1   → 2·2.2 / (2 + 1.2·(0.25 + 0.75·1))   = 4.4 / 3.2  = 1.375
    // doc 1: tf = 1, dl/avgdl = 2/3 → 1·2.2 / (1 + 1.2·(0.25 + 0.75·2/3)) = 2.2 / 1.9
    const hits = index.search('fox', 10);
    expect(ids(hits)).toEqual([2, 1]);
    expect(hits[0]!.score).toBeCloseTo(Math.log(1.6) * 1.375, 12);
    expect(hits[1]!.score).toBeCloseTo((Math.log(1.6) * 2.2) / 1.9, 12);
    // Best possible for "fox" is idf·(k1 + 1) = ln(1.6)·2.2, so confidence(doc 2) = 1.375 / 2.2 = 0.625.
    expect(hits[0]!.confidence).toBeCloseTo(0.625, 12);

    // idf(owl) = ln(1 + (3 − 1 + 0.5) / (1 + 0.5)) = ln(8/3)
    // doc 3: tf = 1, dl/avgdl = 4/3 → 1·2.2 / (1 + 1.2·(0.25 + 0.75·4/3)) = 2.2 / 2.5 = 0.88
    // "fox owl": doc 3 scores ln(8/3)·0.88 ≈ 0.863, above doc 2's ln(1.6)·1.375 ≈ 0.646.
    const both = index.search('fox owl', 10);
    expect(ids(both)).toEqual([3, 2, 1]);
    expect(both[0]!.score).toBeCloseTo(Math.log(8 / 3) * 0.88, 12);
    expect(both[0]!.confidence).toBeCloseTo((Math.log(8 / 3) * 0.88) / ((Math.log(1.6) + Math.log(8 / 3)) * 2.2), 12);
  });

  it('counts a query term once, however often the query repeats it', () => {
    const index = Bm25Index.fromEntries([[1, 'fox dog'], [2, 'cat']], { tokenize: words });
    expect(index.search('fox fox fox', 10)).toEqual(index.search('fox', 10));
  });

  it('lets a rare term outrank a common one (idf)', () => {
    const index = new Bm25Index();
    index.add(1, 'server server server restart');
    for (let id = 2; id <= 8; id++) index.add(id, `server configuration guide, part ${id}`);
    index.add(9, 'kubernetes deployment notes');
    const hits = index.search('server kubernetes', 10);
    expect(hits[0]!.id).toBe(9);
    expect(hits).toHaveLength(9);
  });

  it('finds inflected forms through stemming', () => {
    const index = Bm25Index.fromEntries([
      [1, 'She was running every morning.'],
      [2, 'He runs a small bakery.'],
      [3, 'Cooking pasta takes ten minutes.'],
    ]);
    expect(ids(index.search('run', 10)).sort()).toEqual([1, 2]);
    expect(ids(index.search('Running', 10)).sort()).toEqual([1, 2]);
  });

  it('does not match on stop words', () => {
    const index = Bm25Index.fromEntries([
      [1, 'The cat sat on the mat.'],
      [2, 'There is a dog in the garden.'],
    ]);
    expect(index.search('the', 10)).toEqual([]);
    expect(ids(index.search('Where is the cat?', 10))).toEqual([1]);
  });

  it('answers a Chinese question from Chinese paragraphs', () => {
    const index = Bm25Index.fromEntries([
      [1, '北京是中国的首都，有很多历史悠久的名胜古迹，比如故宫和长城。'],
      [2, '大熊猫是中国特有的动物，主要生活在四川的山区，以竹子为食。'],
      [3, '学习编程需要耐心，初学者可以从Python语言开始，多写代码多练习。'],
      [4, '绿茶含有丰富的抗氧化物质，适量饮用有益健康。'],
    ]);
    expect(index.search('熊猫吃什么？', 10)[0]!.id).toBe(2);
    expect(index.search('怎么学习编程？', 10)[0]!.id).toBe(3);
    expect(index.search('中国的首都是哪里？', 10)[0]!.id).toBe(1);
    expect(index.search('喝绿茶对健康好吗', 10)[0]!.id).toBe(4);
  });

  it('finds nothing, without throwing, for queries without terms', () => {
    const index = Bm25Index.fromEntries([[1, 'Deploy the bot 🎉 now!']]);
    expect(index.search('🎉🔥👍', 10)).toEqual([]);
    expect(index.search('?!... —', 10)).toEqual([]);
    expect(index.search('', 10)).toEqual([]);
    expect(new Bm25Index().search('deploy', 10)).toEqual([]);
  });
});

describe('Bm25Index confidence', () => {
  // Short target documents among long ones: length normalisation works for them, so tf saturates fast.
  const filler = Array.from({ length: 60 }, (_, i) => `filler${i}`).join(' ');
  const corpus: [number, string][] = [
    [1, Array(10).fill('zebra').join(' ')],
    [2, Array(10).fill('giraffe').join(' ')],
    [3, `${filler}`],
    [4, `${filler}`],
    [5, `${filler}`],
  ];

  it('is near 1 when a passage covers every query term, saturated', () => {
    const hit = Bm25Index.fromEntries(corpus, { tokenize: words }).search('zebra', 10)[0]!;
    // avgdl = (10 + 10 + 3·60) / 5 = 40; 10·2.2 / (10 + 1.2·(0.25 + 0.75·10/40)) = 22 / 10.525 ≈ 2.090 of 2.2.
    expect(hit.confidence).toBeCloseTo(22 / 10.525 / 2.2, 12);
    expect(hit.confidence).toBeGreaterThan(0.9);
  });

  it('is exactly 1 for full coverage when term frequency is ignored (k1 = 0)', () => {
    const hits = Bm25Index.fromEntries(corpus, { tokenize: words, k1: 0 }).search('zebra', 10);
    expect(hits[0]!.confidence).toBe(1);
  });

  it('is lower when a passage covers only part of the query', () => {
    const index = Bm25Index.fromEntries([...corpus, [6, 'zebra giraffe zebra giraffe zebra giraffe']], { tokenize: words });
    const hits = index.search('zebra giraffe', 10);
    const both = hits.find((hit) => hit.id === 6)!;
    const onlyZebra = hits.find((hit) => hit.id === 1)!;
    expect(hits[0]!.id).toBe(6);
    expect(both.confidence).toBeGreaterThan(0.8);
    expect(onlyZebra.confidence).toBeLessThan(0.55);
    for (const hit of hits) expect(hit.confidence).toBeGreaterThanOrEqual(0);
  });

  it('counts query terms no document contains against coverage', () => {
    const index = Bm25Index.fromEntries(corpus, { tokenize: words });
    const alone = index.search('zebra', 10)[0]!;
    const withUnknown = index.search('zebra unicorn', 10)[0]!;
    expect(withUnknown.score).toBe(alone.score);
    expect(withUnknown.confidence).toBeLessThan(alone.confidence / 2);
  });
});

describe('Bm25Index updates', () => {
  const texts: [number, string][] = [
    [1, 'How to reset your password from the login page'],
    [2, 'Password rules: at least twelve characters'],
    [3, 'The password manager stores every password encrypted, password after password'],
    [4, 'Login problems are often caused by cookies'],
  ];

  it('remove() makes a document disappear and updates df and avgdl', () => {
    const index = Bm25Index.fromEntries(texts);
    index.remove(3);
    const rebuilt = Bm25Index.fromEntries(texts.filter(([id]) => id !== 3));
    expect(index.has(3)).toBe(false);
    expect(index.size).toBe(3);
    for (const query of ['password', 'login password', 'encrypted manager', 'cookies']) {
      expect(index.search(query, 10)).toEqual(rebuilt.search(query, 10));
    }
    expect(index.search('encrypted', 10)).toEqual([]);
  });

  it('remove() of an unknown id changes nothing', () => {
    const index = Bm25Index.fromEntries(texts);
    const before = index.search('password login', 10);
    index.remove(42);
    expect(index.size).toBe(4);
    expect(index.search('password login', 10)).toEqual(before);
  });

  it('add() with an existing id replaces the document', () => {
    const index = Bm25Index.fromEntries(texts);
    index.add(3, 'Cookies can be cleared in the browser settings');
    const rebuilt = Bm25Index.fromEntries([...texts.filter(([id]) => id !== 3), [3, 'Cookies can be cleared in the browser settings']]);
    expect(index.size).toBe(4);
    expect(index.search('encrypted', 10)).toEqual([]);
    expect(ids(index.search('browser', 10))).toEqual([3]);
    for (const query of ['password', 'cookies login', 'browser cookies']) {
      expect(index.search(query, 10)).toEqual(rebuilt.search(query, 10));
    }
  });

  it('stays equal to a fresh build through a long run of random adds, replacements and removals', () => {
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const pick = (n: number) => Math.floor(random() * n);
    const text = () => Array.from({ length: 1 + pick(8) }, () => `t${pick(15)}`).join(' ');
    const index = new Bm25Index({ tokenize: words });
    const live = new Map<number, string>();
    for (let step = 0; step < 3000; step++) {
      const id = pick(60);
      if (random() < 0.35) {
        index.remove(id);
        live.delete(id);
      } else {
        const value = text();
        index.add(id, value);
        live.set(id, value);
      }
      // Searching along the way: what a search caches about lengths must not outlive the next change.
      expect(index.search(`t${step % 15} t3`, 100)).toEqual(Bm25Index.fromEntries(live, { tokenize: words }).search(`t${step % 15} t3`, 100));
    }
    const rebuilt = Bm25Index.fromEntries(live, { tokenize: words });
    expect(index.size).toBe(live.size);
    for (let term = 0; term < 15; term++) {
      expect(index.search(`t${term} t${(term * 7) % 15}`, 100)).toEqual(rebuilt.search(`t${term} t${(term * 7) % 15}`, 100));
    }
  });

  it('searches the same after compact(), and still takes additions and removals', () => {
    const texts = ['alpha beta gamma', 'beta gamma delta', 'gamma delta epsilon alpha', 'alpha alpha zeta', 'beta'];
    const index = Bm25Index.fromEntries(texts.map((text, id) => [id, text] as const), { tokenize: words });
    const before = ['alpha', 'beta gamma', 'delta zeta'].map((query) => index.search(query, 10));
    index.compact();
    expect(['alpha', 'beta gamma', 'delta zeta'].map((query) => index.search(query, 10))).toEqual(before);
    index.add(9, 'alpha beta omega');
    index.remove(0);
    const reference = Bm25Index.fromEntries([...texts.slice(1).map((text, i) => [i + 1, text] as const), [9, 'alpha beta omega'] as const], { tokenize: words });
    for (const query of ['alpha', 'beta omega', 'gamma']) expect(index.search(query, 10)).toEqual(reference.search(query, 10));
  });

  it('does not index documents without terms, so they shift neither N nor avgdl', () => {
    const index = Bm25Index.fromEntries([[1, 'fox dog'], [2, 'fox fox cat']], { tokenize: words });
    const before = index.search('fox', 10);
    index.add(2, 'fox fox cat');
    for (let id = 10; id < 100; id++) index.add(id, ' ');
    expect(index.has(10)).toBe(false);
    expect(index.size).toBe(2);
    expect(index.search('fox', 10)).toEqual(before);
    // A document that loses its terms is dropped.
    index.add(1, '');
    expect(index.has(1)).toBe(false);
    expect(index.size).toBe(1);
  });
});

describe('Bm25Index selection', () => {
  it('applies the filter before taking the top k', () => {
    const index = Bm25Index.fromEntries(Array.from({ length: 10 }, (_, i): [number, string] => [i, 'alpha '.repeat(i + 1)]));
    const hits = index.search('alpha', 3, (id) => id % 2 === 1);
    expect(hits).toHaveLength(3);
    expect(hits.every((hit) => hit.id % 2 === 1)).toBe(true);
    expect(ids(hits)).toEqual(ids(index.search('alpha', 10).filter((hit) => hit.id % 2 === 1)).slice(0, 3));
  });

  it('is unaffected by an earlier search whose filter threw', () => {
    const index = Bm25Index.fromEntries([[1, 'alpha beta'], [2, 'alpha'], [3, 'beta gamma']]);
    const before = index.search('alpha beta', 10);
    expect(() => index.search('alpha beta', 10, () => { throw new Error('boom'); })).toThrow('boom');
    expect(index.search('alpha beta', 10)).toEqual(before);
  });

  it('returns at most k hits, sorted by score then id', () => {
    const index = new Bm25Index();
    for (const id of [7, 3, 9, 1, 5]) index.add(id, 'identical text about alpha');
    expect(ids(index.search('alpha', 3))).toEqual([1, 3, 5]);
    expect(index.search('alpha', 0)).toEqual([]);
    expect(index.search('alpha', 100)).toHaveLength(5);
  });

  it('agrees with a full sort on a larger random corpus', () => {
    let seed = 12345;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32; // LCG, uniform in [0, 1)
    const vocabulary = Array.from({ length: 40 }, (_, i) => `w${i}`);
    const index = new Bm25Index({ tokenize: words });
    for (let id = 0; id < 2000; id++) {
      const length = 3 + Math.floor(random() * 30);
      index.add(id, Array.from({ length }, () => vocabulary[Math.floor(random() ** 2 * vocabulary.length)]).join(' '));
    }
    const even = (id: number) => id % 2 === 0;
    for (const query of ['w0', 'w1 w30', 'w5 w6 w39', 'w2 w2 w17']) {
      const all = index.search(query, Infinity);
      expect(index.search(query, 10)).toEqual(all.slice(0, 10));
      expect(index.search(query, 10, even)).toEqual(all.filter((hit) => even(hit.id)).slice(0, 10));
      for (let i = 1; i < all.length; i++) {
        const [previous, current] = [all[i - 1]!, all[i]!];
        expect(previous.score > current.score || (previous.score === current.score && previous.id < current.id)).toBe(true);
      }
    }
  });
});

describe('Bm25Index.searchAll', () => {
  const first: [number, string][] = [[1, 'fox dog'], [2, 'fox fox cat'], [3, 'cat bird owl emu']];
  const second: [number, string][] = [[4, 'fox owl owl'], [5, 'dog dog dog dog dog emu']];

  it('scores several indexes exactly as one index holding all their documents', () => {
    const parts = [Bm25Index.fromEntries(first, { tokenize: words }), Bm25Index.fromEntries(second, { tokenize: words })];
    const whole = Bm25Index.fromEntries([...first, ...second], { tokenize: words });
    for (const query of ['fox', 'owl dog', 'emu cat fox', 'zebra fox']) {
      expect(Bm25Index.searchAll(parts, query, 10)).toEqual(whole.search(query, 10));
      expect(Bm25Index.searchAll(parts, query, 2)).toEqual(whole.search(query, 2));
      expect(Bm25Index.searchAll(parts, query, 10, (id) => id !== 2)).toEqual(whole.search(query, 10, (id) => id !== 2));
    }
    // And each index searched alone afterwards still uses only its own statistics.
    expect(parts[0]!.search('fox', 10)).toEqual(Bm25Index.fromEntries(first, { tokenize: words }).search('fox', 10));
  });

  it('finds nothing in no index', () => {
    expect(Bm25Index.searchAll([], 'fox', 10)).toEqual([]);
  });
});

describe('Bm25Index options', () => {
  it('rejects parameters outside their range', () => {
    expect(() => new Bm25Index({ b: 1.5 })).toThrow(RangeError);
    expect(() => new Bm25Index({ k1: -1 })).toThrow(RangeError);
    expect(() => new Bm25Index({ k1: Number.NaN })).toThrow(RangeError);
  });
});

describe('Bm25Index confidence for Chinese questions', () => {
  // Default tokenizer: character bigrams. "学在" straddles 大学|在 in the question and is in no paragraph.
  const index = Bm25Index.fromEntries([
    [1, '北京大学位于北京市海淀区，是一所著名的大学。'],
    [2, '上海是中国最大的城市之一，位于长江口。'],
    [3, '长城是中国古代的军事防御工程。'],
  ]);

  it('finds the bigrams of a question that only straddle two of its words', () => {
    expect([...bigramsAcrossWords('北京大学在哪里？')].sort()).toEqual(['京大', '学在', '在哪'].sort());
    expect(bigramsAcrossWords('Where is it?').size).toBe(0);
  });

  it('does not count a bigram across two words that no paragraph holds against coverage', () => {
    // 北京|大学|在|哪里: "学在" and "在哪" straddle words and are in no paragraph; "哪里" is a word no paragraph
    // holds and still counts, as it does when the question is typed with a space instead of "在".
    const phrased = index.search('北京大学在哪里', 3)[0]!;
    const spaced = index.search('北京大学 哪里', 3)[0]!;
    expect(phrased.id).toBe(1);
    expect(phrased.confidence).toBeCloseTo(spaced.confidence, 12);
    expect(phrased.confidence).toBeLessThan(index.search('北京大学', 3)[0]!.confidence);
    expect(Bm25Index.termWeights([index], '北京大学在哪里').has('学在')).toBe(false);
    expect(Bm25Index.termWeights([index], '北京大学在哪里').has('哪里')).toBe(true);
  });

  it('still counts a missing word against coverage', () => {
    const plain = index.search('北京大学', 3)[0]!;
    const withMissingWord = index.search('北京大学图书馆', 3)[0]!;
    expect(withMissingWord.confidence).toBeLessThan(0.75 * plain.confidence);
  });
});
