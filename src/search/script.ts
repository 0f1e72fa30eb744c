const CJK_CHARACTER = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/gu;

/**
 * Whether at least half of the question's letters and digits are Chinese, Japanese or Korean characters: such
 * questions get their own thresholds and dense weight (an English-only model's cosine does not help them).
 */
export function isMostlyCjk(question: string): boolean {
  const letters = question.match(LETTER_OR_DIGIT)?.length ?? 0;
  const cjk = question.match(CJK_CHARACTER)?.length ?? 0;
  return letters > 0 && cjk / letters >= 0.5;
}

/** The Chinese, Japanese and Korean characters of `text`, in order, repeats included. */
export function cjkCharacters(text: string): string[] {
  return text.match(CJK_CHARACTER) ?? [];
}
