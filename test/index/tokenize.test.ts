import { describe, it, expect } from 'vitest';
import { tokenize } from '../../src/index/tokenize.ts';

const raw = { stem: false, stopWords: false };

describe('tokenize', () => {
  it('lower-cases, splits on anything that is not a letter or digit, and keeps digits', () => {
    expect(tokenize('Reset-Password, v2.0: NOW!', raw)).toEqual(['reset', 'password', 'v2', '0', 'now']);
  });

  it('stems inflected forms of a word to one term', () => {
    const [running, runs, run] = [tokenize('running'), tokenize('runs'), tokenize('run')];
    expect(running).toEqual(run);
    expect(runs).toEqual(run);
    expect(tokenize('Connections connected', { stopWords: false })).toEqual(['connect', 'connect']);
  });

  it('removes English stop words unless told not to', () => {
    expect(tokenize('What is the capital of France?')).toEqual(['capit', 'franc']);
    expect(tokenize('the of and is', { stem: false })).toEqual([]);
    expect(tokenize('the of', { stopWords: false })).toEqual(['the', 'of']);
  });

  it('glues English contractions and possessives, and splits other apostrophes', () => {
    expect(tokenize("Don't", raw)).toEqual(['dont']);
    expect(tokenize('don’t', raw)).toEqual(['dont']); // typographic apostrophe
    expect(tokenize("don't")).toEqual([]); // "dont" is a stop word
    expect(tokenize("John's bikes")).toEqual(['john', 'bike']);
    expect(tokenize("l'homme", raw)).toEqual(['l', 'homme']);
  });

  it('folds compatibility forms and Latin diacritics, locale-independently', () => {
    expect(tokenize('ＡＢＣ ﬁle', raw)).toEqual(['abc', 'file']); // full-width letters, "fi" ligature
    expect(tokenize('Café NAÏVE façade', raw)).toEqual(['cafe', 'naive', 'facade']);
    expect(tokenize('İstanbul', raw)).toEqual(['istanbul']); // dotted capital I lower-cases to i + U+0307
  });

  it('keeps non-Latin words whole and unstemmed', () => {
    expect(tokenize('Москва столица', raw)).toEqual(['москва', 'столица']);
    expect(tokenize('Москвы')).toEqual(['москвы']);
    expect(tokenize('नमस्ते दुनिया')).toEqual(['नमस्ते', 'दुनिया']); // vowel signs are marks and stay in the word
  });

  it('cuts CJK runs into overlapping bigrams, a lone character into a unigram', () => {
    expect(tokenize('手机很好用')).toEqual(['手机', '机很', '很好', '好用']);
    expect(tokenize('猫')).toEqual(['猫']);
    expect(tokenize('我 爱 你')).toEqual(['我', '爱', '你']);
    expect(tokenize('한국어 공부')).toEqual(['한국', '국어', '공부']);
    expect(tokenize('タワー')).toEqual(['タワ', 'ワー']); // the long-vowel mark belongs to the katakana word
    expect(tokenize('东京。大阪、京都')).toEqual(['东京', '大阪', '京都']); // ideographic punctuation splits runs
    expect(tokenize('𠀀𠀁')).toEqual(['𠀀𠀁']); // astral-plane Han is handled by code point
  });

  it('yields the Latin word and the CJK bigrams of mixed text', () => {
    expect(tokenize('iPhone手机很好用', raw)).toEqual(['iphone', '手机', '机很', '很好', '好用']);
    expect(tokenize('iPhone手机很好用')).toEqual(['iphon', '手机', '机很', '很好', '好用']);
  });

  it('produces nothing for emoji, symbols and punctuation', () => {
    expect(tokenize('🎉🔥👍 ❤️ 👨‍👩‍👧 🇫🇷 1️⃣ #️⃣')).toEqual([]);
    expect(tokenize('?!... — «» ()[] ~~~ ***')).toEqual([]);
    expect(tokenize('')).toEqual([]);
    expect(tokenize('good👍job', raw)).toEqual(['good', 'job']);
  });

  it('gives the same terms on repeated calls (no state leaks between calls)', () => {
    const text = 'Searching searched searches 検索エンジン';
    expect(tokenize(text)).toEqual(tokenize(text));
  });
});
