/**
 * Chinese and Japanese text is written without spaces between words, so it is measured in characters and may be
 * broken between any two of them. Korean uses spaces and is treated like alphabetic text.
 */
const CJK_CHARACTER = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef]/u;
const CJK_CHARACTERS = new RegExp(CJK_CHARACTER.source, 'gu');

/** Whether `character` (one code point) is a Chinese/Japanese character or full-width punctuation. */
export function isCjkCharacter(character: string | undefined): boolean {
  return character !== undefined && CJK_CHARACTER.test(character);
}

/** Number of Chinese/Japanese characters in `text`. */
export function countCjkCharacters(text: string): number {
  return text.match(CJK_CHARACTERS)?.length ?? 0;
}

/** Source of a regex character class body matching CJK characters, for composing larger patterns. */
export const CJK_CLASS = CJK_CHARACTER.source.slice(1, -1);
