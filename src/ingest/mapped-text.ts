import { isCjkCharacter } from './cjk.ts';

/**
 * Text that remembers, for each of its UTF-16 units, the range of the document it came from. Whitespace can be
 * collapsed, entities decoded and paragraphs joined or cut, and any slice can still be traced back to the source.
 */
export interface MappedText {
  readonly text: string;
  /** `text[i]` came from the document range [sourceStarts[i], sourceEnds[i]). */
  readonly sourceStarts: readonly number[];
  readonly sourceEnds: readonly number[];
}

/**
 * Text taken from the document range [start, end). When its length equals the range's, each unit maps to its own
 * offset (verbatim text); otherwise (a decoded entity, a synthetic bullet with `end === start`) every unit maps
 * to the whole range.
 */
export function fromSource(text: string, start: number, end: number = start + text.length): MappedText {
  const verbatim = end - start === text.length;
  const sourceStarts: number[] = [];
  const sourceEnds: number[] = [];
  for (let i = 0; i < text.length; i++) {
    sourceStarts.push(verbatim ? start + i : start);
    sourceEnds.push(verbatim ? start + i + 1 : end);
  }
  return { text, sourceStarts, sourceEnds };
}

/** Concatenates mapped texts, keeping each unit's mapping. */
export function concatMapped(parts: readonly MappedText[]): MappedText {
  // Plain loops: flatMap over large arrays is several times slower, and this runs for every block.
  const sourceStarts: number[] = [];
  const sourceEnds: number[] = [];
  for (const part of parts) {
    for (let i = 0; i < part.text.length; i++) {
      sourceStarts.push(part.sourceStarts[i]!);
      sourceEnds.push(part.sourceEnds[i]!);
    }
  }
  return { text: parts.map((part) => part.text).join(''), sourceStarts, sourceEnds };
}

/** The units [from, to) of `mapped`. */
export function sliceMapped(mapped: MappedText, from: number, to: number): MappedText {
  return {
    text: mapped.text.slice(from, to),
    sourceStarts: mapped.sourceStarts.slice(from, to),
    sourceEnds: mapped.sourceEnds.slice(from, to),
  };
}

/** The document range a non-empty mapped text came from. */
export function sourceSpan(mapped: MappedText): { start: number; end: number } {
  return { start: mapped.sourceStarts[0] ?? 0, end: mapped.sourceEnds.at(-1) ?? 0 };
}

const EMPTY: MappedText = { text: '', sourceStarts: [], sourceEnds: [] };

/** Accumulates units one by one or in runs; cheaper than concatenating many small mapped texts. */
class MappedTextWriter {
  private readonly parts: string[] = [];
  private readonly sourceStarts: number[] = [];
  private readonly sourceEnds: number[] = [];
  private last = '';

  /** Copies units [from, to) of `mapped`. */
  copy(mapped: MappedText, from: number, to: number): void {
    if (from >= to) return;
    this.parts.push(mapped.text.slice(from, to));
    for (let i = from; i < to; i++) {
      this.sourceStarts.push(mapped.sourceStarts[i]!);
      this.sourceEnds.push(mapped.sourceEnds[i]!);
    }
    this.last = mapped.text[to - 1]!;
  }

  /** Writes `character`, mapped to the source of unit `at` of `mapped`. */
  write(character: string, mapped: MappedText, at: number): void {
    this.parts.push(character);
    this.sourceStarts.push(mapped.sourceStarts[at]!);
    this.sourceEnds.push(mapped.sourceEnds[at]!);
    this.last = character;
  }

  get isEmpty(): boolean {
    return this.sourceStarts.length === 0;
  }

  get lastCharacter(): string {
    return this.last;
  }

  done(): MappedText {
    return { text: this.parts.join(''), sourceStarts: this.sourceStarts, sourceEnds: this.sourceEnds };
  }
}

/**
 * Prose layout: every run of whitespace (spaces, tabs, line ends, no-break spaces) becomes one space, and the text
 * is trimmed. A line break between two Chinese/Japanese characters is dropped instead, since those scripts wrap
 * lines without any space.
 */
export function collapseWhitespace(mapped: MappedText): MappedText {
  const writer = new MappedTextWriter();
  let copied = 0;
  for (const run of mapped.text.matchAll(/\s+/g)) {
    writer.copy(mapped, copied, run.index);
    copied = run.index + run[0].length;
    const atEdge = writer.isEmpty || copied === mapped.text.length;
    const wrappedCjk =
      /[\r\n]/.test(run[0]) && isCjkCharacter(writer.lastCharacter) && isCjkCharacter(mapped.text[copied]);
    if (!atEdge && !wrappedCjk) writer.write(' ', mapped, run.index);
  }
  writer.copy(mapped, copied, mapped.text.length);
  return writer.done();
}

/**
 * Line layout (code, lists, tables): line ends become `\n`, trailing spaces of each line go, and so do blank lines
 * at either end; indentation and inner blank lines are kept.
 */
export function tidyLines(mapped: MappedText): MappedText {
  const writer = new MappedTextWriter();
  const { text } = mapped;
  // Trailing spaces are found by scanning back from each line end: `/[ \t]*\n/g` rescans a long run of spaces
  // that no line end follows once per space.
  const copyLine = (start: number, end: number): void => {
    let contentEnd = end;
    while (contentEnd > start && (text[contentEnd - 1] === ' ' || text[contentEnd - 1] === '\t')) contentEnd--;
    writer.copy(mapped, start, contentEnd);
  };
  let lineStart = 0;
  for (const lineEnd of text.matchAll(/\r\n|\r|\n/g)) {
    copyLine(lineStart, lineEnd.index);
    lineStart = lineEnd.index + lineEnd[0].length;
    writer.write('\n', mapped, lineStart - 1);
  }
  copyLine(lineStart, text.length);
  const tidy = writer.done();
  const firstContent = tidy.text.search(/\S/);
  if (firstContent < 0) return EMPTY;
  const from = tidy.text.lastIndexOf('\n', firstContent) + 1;
  return sliceMapped(tidy, from, tidy.text.trimEnd().length);
}

/** A replacement of the units [from, to) of a mapped text by `text` (empty to delete them). */
export interface MappedEdit {
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

/**
 * Applies edits, sorted and not overlapping; each replacement maps to the whole source range of what it
 * replaces (a component reduced to its label still points at the component).
 */
export function replaceRanges(mapped: MappedText, edits: readonly MappedEdit[]): MappedText {
  if (edits.length === 0) return mapped;
  const writer = new MappedTextWriter();
  let copied = 0;
  for (const edit of edits) {
    writer.copy(mapped, copied, edit.from);
    const start = mapped.sourceStarts[edit.from] ?? 0;
    const end = mapped.sourceEnds[edit.to - 1] ?? start;
    const replacement: MappedText = {
      text: edit.text,
      sourceStarts: new Array<number>(edit.text.length).fill(start),
      sourceEnds: new Array<number>(edit.text.length).fill(end),
    };
    writer.copy(replacement, 0, replacement.text.length);
    copied = edit.to;
  }
  writer.copy(mapped, copied, mapped.text.length);
  return writer.done();
}

/**
 * Code as a fenced block, as Markdown writes it (HTML `pre`, Markdown indented code), so that it is quoted as code;
 * the fences are mapped to the code's edges.
 */
export function fencedCode(code: MappedText, language: string): MappedText {
  if (code.text === '') return code;
  // One longer than any backtick run inside, so the code cannot close its own block (measured in one pass).
  const longest = (code.text.match(/`+/g) ?? []).reduce((most, run) => Math.max(most, run.length), 0);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const { start, end } = sourceSpan(code);
  return concatMapped([fromSource(`${fence}${language}\n`, start, start), code, fromSource(`\n${fence}`, end, end)]);
}
