import { printable } from '../../printable-text.ts';
import { breakMentions, trimText } from './text.ts';

/**
 * Quoting a passage in Discord with the formatting it was written with, and nothing more: a fenced code block
 * stays a code block with its language, inline code stays inline code, a list stays a list and a table is shown
 * in a code block so its columns stay aligned. Everything else of the document's is inert text: emphasis,
 * `||spoilers||`, `# headings`, `-# subtext`, `>` lines and masked links `[x](url)` are escaped, mentions are
 * broken with a zero-width space, and no backtick run can close a code block early. Passage text is what the
 * ingest readers produce (src/ingest): fences and table rows at line starts, prose collapsed to single lines.
 */

const ZWSP = '\u200b';
/** A fence line: three or more backticks or tildes, then an info string whose first word is the language. */
const FENCE = /^ {0,3}(`{3,}|~{3,})[ \t]*([^\s`]*)/;
const TABLE_ROW = /^ {0,3}\|(?!\|)/;
/** A table's delimiter row, `| --- | :-: |`: without one, lines starting with `|` are text (`||spoiler||`). */
const TABLE_DELIMITER = /^ {0,3}\|?(?:[ \t]*:?-+:?[ \t]*\|)+[ \t]*(?::?-+:?[ \t]*)?$/;
/** A list item's marker, with its indentation: `- `, `* `, `+ `, `1. `, `1) `. */
const LIST_MARKER = /^([ \t]*)([-+*]|\d{1,9}[.)])[ \t]+/;
/** Languages Discord can highlight are short words; anything else is dropped rather than shown in the fence. */
const LANGUAGE = /^[A-Za-z0-9_+#.-]{1,30}$/;

type Segment =
  | { readonly kind: 'code'; readonly language: string; readonly lines: readonly string[] }
  | { readonly kind: 'line'; readonly text: string };

/**
 * `text` as a Discord block quote of at most `budget` characters. When it is longer, it is cut at a segment
 * (a line, or a line of code) and marked with "…"; a code block cut short is still closed.
 */
export function quotePassage(text: string, budget: number): string {
  const out: string[] = [];
  let used = 0;
  for (const segment of segmentsOf(printable(text))) {
    const room = budget - used - (out.length > 0 ? 1 : 0);
    // Rendering never shortens a line, so one longer than the room is cut without rendering it whole first.
    const rendered =
      segment.kind === 'code' ? renderCode(segment.language, segment.lines) : segment.text.length > room ? undefined : quoteLines(renderLine(segment.text));
    if (rendered !== undefined && rendered.length <= room) {
      out.push(rendered);
      used += rendered.length + (out.length > 1 ? 1 : 0);
      continue;
    }
    const cut = segment.kind === 'code' ? cutCode(segment, room) : cutLine(segment.text, room);
    if (cut !== undefined) out.push(cut);
    else if (out.length > 0) out[out.length - 1] += '…';
    break;
  }
  return out.join('\n');
}

/** Fenced code (to its closing fence, or the end), table runs (as code) and single lines, in order. */
function segmentsOf(text: string): Segment[] {
  const lines = text.split('\n');
  const segments: Segment[] = [];
  let i = 0;
  while (i < lines.length) {
    const fence = FENCE.exec(lines[i]!);
    if (fence) {
      const closing = new RegExp(`^ {0,3}${fence[1]![0] === '`' ? '`' : '~'}{${fence[1]!.length},}[ \\t]*$`);
      let end = i + 1;
      while (end < lines.length && !closing.test(lines[end]!)) end++;
      const language = LANGUAGE.test(fence[2]!) ? fence[2]! : '';
      segments.push({ kind: 'code', language, lines: lines.slice(i + 1, end) });
      i = end + 1;
    } else if (TABLE_ROW.test(lines[i]!) && TABLE_DELIMITER.test(lines[i + 1] ?? '')) {
      let end = i + 2;
      while (end < lines.length && TABLE_ROW.test(lines[end]!)) end++;
      segments.push({ kind: 'code', language: '', lines: lines.slice(i, end) });
      i = end;
    } else {
      if (lines[i]!.trim() !== '') segments.push({ kind: 'line', text: lines[i]! });
      i++;
    }
  }
  return segments;
}

function quoteLines(text: string): string {
  return text.split('\n').map((line) => `> ${line}`).join('\n');
}

/** A quoted code block; its lines cannot end it, mention anyone or leave the quote. */
function renderCode(language: string, lines: readonly string[]): string {
  return quoteLines(['```' + language, ...lines.map(codeText), '```'].join('\n'));
}

/** As many lines of the block as fit in `room`, then "…", closed; undefined when not even one fits. */
function cutCode(segment: Extract<Segment, { kind: 'code' }>, room: number): string | undefined {
  for (let count = segment.lines.length - 1; count >= 1; count--) {
    const rendered = renderCode(segment.language, [...segment.lines.slice(0, count), '…']);
    if (rendered.length <= room) return rendered;
  }
  return undefined;
}

/** The line trimmed (at a sentence or word) until its rendering fits in `room`; undefined when nothing does. */
function cutLine(text: string, room: number): string | undefined {
  let max = Math.min(text.length, room);
  while (max >= 20) {
    const rendered = quoteLines(renderLine(trimText(text, max)));
    if (rendered.length <= room) return rendered;
    max = Math.floor(max * 0.8);
  }
  return undefined;
}

/** Code text: backticks kept apart so that none can close the block, mentions broken. */
function codeText(line: string): string {
  return breakMentions(line.replace(/`(?=`)/g, `\`${ZWSP}`));
}

/** A prose or list line: its list marker kept (bullets as `-`), inline code kept, the rest inert. */
function renderLine(line: string): string {
  const marker = LIST_MARKER.exec(line);
  if (!marker) return inlineText(line.trimStart());
  const [, indent = '', bullet = '-'] = marker;
  const number = /^\d/.test(bullet) ? `${bullet.slice(0, -1)}.` : '-';
  return `${indent.replace(/\t/g, '  ')}${number} ${inlineText(line.slice(marker[0].length))}`;
}

/**
 * Text with its code spans (`` `x` ``, ``` `` a ` b `` ```) kept as inline code and everything else escaped. A
 * backtick run that no run of the same length closes is text.
 */
function inlineText(text: string): string {
  let out = '';
  let plain = 0;
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '`') {
      i++;
      continue;
    }
    let run = 1;
    while (text[i + run] === '`') run++;
    const close = closingRun(text, i + run, run);
    if (close === undefined) {
      i += run;
      continue;
    }
    const content = text.slice(i + run, close);
    out += plainText(text.slice(plain, i), plain === 0) + codeSpan(content);
    i = close + run;
    plain = i;
  }
  return out + plainText(text.slice(plain), plain === 0);
}

/** Where a backtick run of exactly `run` starts at or after `from`, if one does. */
function closingRun(text: string, from: number, run: number): number | undefined {
  let i = text.indexOf('`', from);
  while (i >= 0) {
    let length = 1;
    while (text[i + length] === '`') length++;
    if (length === run) return i;
    i = text.indexOf('`', i + length);
  }
  return undefined;
}

/** Inline code Discord shows as written: delimiters one longer than any run inside, padded when needed. */
function codeSpan(content: string): string {
  const body = content.trim() === '' ? content.replace(/`/g, "'") : content;
  if (body.trim() === '') return plainText(body, false);
  const longest = (body.match(/`+/g) ?? []).reduce((most, run) => Math.max(most, run.length), 0);
  // Discord's inline code takes one or two backticks; a longer run inside is broken instead.
  const inner = longest >= 2 ? body.replace(/`(?=`)/g, `\`${ZWSP}`) : body;
  const delimiter = longest >= 1 ? '``' : '`';
  const padded = inner.startsWith('`') || inner.endsWith('`') ? ` ${inner} ` : inner;
  return `${delimiter}${breakMentions(padded)}${delimiter}`;
}

/**
 * Inert text: every character Discord's Markdown acts on inline is escaped (emphasis, underline, strike,
 * spoilers, code, masked-link brackets, backslash), and at a line start also headings, subtext and quotes;
 * mentions are broken. `atLineStart` is whether the text begins its line. (discord.js's escapeMarkdown leaves
 * masked links, headings and quotes alone, and took 0.45 s on a 9,000-character line.)
 */
function plainText(text: string, atLineStart: boolean): string {
  let escaped = text.replace(/[\\*_~|`[\]]/g, '\\$&');
  if (atLineStart) escaped = escaped.replace(/^(\s*)(#|-#|>)/, '$1\\$2');
  return breakMentions(escaped);
}

/** Stand-ins for `**` while the quote is rendered: private-use characters that no escaping touches. */
const BOLD_OPEN = '\ue000';
const BOLD_CLOSE = '\ue001';

/**
 * {@link quotePassage} with the highlighted sentences in bold where bold can show: on a line of prose or a list
 * item, not inside code (a fenced block, a table, an inline code span), where `**` would be shown as written.
 */
export function quoteFormattedWithHighlights(text: string, highlights: readonly { start: number; end: number }[], budget: number): string {
  let marked = text.replace(/[\ue000\ue001]/g, '');
  if (marked.length !== text.length) return quotePassage(text, budget); // offsets would no longer match
  for (const { start, end } of [...highlights].sort((a, b) => b.start - a.start)) {
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const from = start === lineStart ? start + (LIST_MARKER.exec(text.slice(lineStart))?.[0].length ?? 0) : start;
    const piece = text.slice(from, end);
    if (piece.trim() === '' || /[\n`]/.test(piece) || TABLE_ROW.test(text.slice(lineStart)) || insideFence(text, lineStart)) continue;
    marked = `${marked.slice(0, from)}${BOLD_OPEN}${piece}${BOLD_CLOSE}${marked.slice(end)}`;
  }
  const quoted = quotePassage(marked, budget - 4 * highlights.length);
  const opened = quoted.split(BOLD_OPEN).length - 1;
  const closed = quoted.split(BOLD_CLOSE).length - 1;
  // A highlight the budget cut in two shows unbolded rather than as a stray "**".
  return opened === closed ? quoted.replace(/[\ue000\ue001]/g, '**') : quoted.replace(/[\ue000\ue001]/g, '');
}

/** Whether the line starting at `lineStart` is inside a fenced code block (an odd number of fences before it). */
function insideFence(text: string, lineStart: number): boolean {
  return text.slice(0, lineStart).split('\n').filter((line) => FENCE.test(line)).length % 2 === 1;
}
