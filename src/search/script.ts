import { CJK } from '../index/tokenize.ts';

const CJK_CHARACTER = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;
// A run of letters and digits outside the tokenizer's CJK runs ("Ekstraklasa", "2000", "café"), marks included:
// the katakana long-vowel mark belongs to those runs ("コーヒー"), so it is no word of its own. Built with
// `new RegExp` because the `v` flag (class subtraction) is newer than this project's TypeScript target allows.
const OTHER_WORD = new RegExp(String.raw`[[\p{L}\p{N}\p{M}]--[${CJK}]]+`, 'gv');

/**
 * Whether at least half of the question's words are Chinese, Japanese or Korean: each CJK character counts as a
 * word (they are written without spaces, and a character carries about a word's worth of meaning), each run of
 * other letters or digits as one. So a Chinese question that names an English product or a year ("Sky Digital
 * 是什么时候推出的？", "2000到2005年的…") is Chinese, and "What does 手机 mean?" is not. Such questions get their
 * own thresholds and dense weight (an English-only model's cosine does not help them).
 */
export function isMostlyCjk(question: string): boolean {
  const cjk = question.match(CJK_CHARACTER)?.length ?? 0;
  const otherWords = question.match(OTHER_WORD)?.length ?? 0;
  return cjk > 0 && cjk >= otherWords;
}

/** The Chinese, Japanese and Korean characters of `text`, in order, repeats included. */
export function cjkCharacters(text: string): string[] {
  return text.match(CJK_CHARACTER) ?? [];
}
