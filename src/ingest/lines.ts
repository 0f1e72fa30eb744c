/** One line of a document, without its line terminator. */
export interface Line {
  readonly text: string;
  /** Offset of the line's first character in the document. */
  readonly start: number;
}

const LINE_END = /\r\n|\r|\n/g;

/**
 * Splits `content` into lines, accepting LF, CRLF and lone CR line ends. A leading BOM is not part of the first
 * line, so a heading on the first line of a BOM-prefixed file is still recognised.
 */
export function splitLines(content: string): Line[] {
  const lines: Line[] = [];
  let start = content.startsWith('\ufeff') ? 1 : 0;
  for (const match of content.matchAll(LINE_END)) {
    lines.push({ text: content.slice(start, match.index), start });
    start = match.index + match[0].length;
  }
  lines.push({ text: content.slice(start), start });
  return lines;
}

/** Lines holding only whitespace separate paragraphs just like empty ones. */
export function isBlank(line: Line | undefined): boolean {
  return line !== undefined && line.text.trim() === '';
}

/** Width of a line's indentation, a tab counting as four columns. */
export function indentWidth(text: string): number {
  let width = 0;
  for (const character of text) {
    if (character === ' ') width += 1;
    else if (character === '\t') width += 4 - (width % 4);
    else break;
  }
  return width;
}
