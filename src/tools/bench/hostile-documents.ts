/**
 * The hostile document shapes of issue 15: each once took minutes or gigabytes to split. Shared by the regression
 * tests, the property test and the timing script (`node --import tsx src/tools/bench/hostile-documents-timing.ts`).
 */
import { approximateTokenCounter } from '../../engine/approximate-token-counter.ts';
import type { TokenCounter } from '../../ingest/types.ts';

/** The estimate the engine splits with when no model is loaded, at the default 256-token window. */
export const keywordTokenCounter: TokenCounter = approximateTokenCounter(256);

export interface HostileDocument {
  /** Short name used on the command line and in docs/hardening.md. */
  readonly name: string;
  /** File name (its extension picks the reader). */
  readonly path: string;
  readonly content: string;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** `length` characters cycling through `alphabet`, deterministic. */
function cycle(alphabet: string, length: number): string {
  let text = '';
  while (text.length < length) text += alphabet;
  return text.slice(0, length);
}

function minifiedJson(bytes: number): string {
  const items: string[] = [];
  let length = 2;
  for (let i = 0; length < bytes; i++) {
    const item = `{"id":${i},"name":"item-${i}","tags":["a","b"],"price":${(i * 1.25).toFixed(2)},"ok":true}`;
    items.push(item);
    length += item.length + 1;
  }
  return `[${items.join(',')}]`;
}

function wordsJoinedBy(separator: string, bytes: number): string {
  const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
  const parts: string[] = [];
  for (let length = 0, i = 0; length < bytes; i++) {
    parts.push(words[i % words.length]!);
    length += words[i % words.length]!.length + separator.length;
  }
  return parts.join(separator);
}

function wideTable(columns: number): string {
  const header = Array.from({ length: columns }, (_, i) => `c${i}`);
  const rule = header.map(() => '---');
  const row = header.map((_, i) => `${i}`);
  return [header, rule, row].map((cells) => `|${cells.join('|')}|`).join('\n') + '\n';
}

/** Every shape from the issue, at the size it was reported with (`scale` multiplies the sizes). */
export function hostileDocuments(scale = 1): HostileDocument[] {
  const n = (count: number): number => Math.max(1, Math.round(count * scale));
  return [
    { name: 'base64-image', path: 'image.md', content: `# Logo\n\n![logo](data:image/png;base64,${cycle(BASE64, n(150_000))})\n` },
    { name: 'minified-json', path: 'data.txt', content: minifiedJson(n(118_000)) },
    { name: 'dot-dash', path: 'morse.txt', content: '.-'.repeat(n(50_000)) },
    // Not in the issue: found auditing the sentence pattern, which rescanned a run of dots once per dot.
    { name: 'dots', path: 'dots.txt', content: '.'.repeat(n(100_000)) },
    { name: 'zero-width-joined', path: 'zwsp.txt', content: wordsJoinedBy('\u200b', n(140_000)) },
    { name: 'brackets', path: 'brackets.md', content: '['.repeat(n(50_000)) },
    { name: 'wide-table', path: 'table.md', content: wideTable(n(10_000)) },
    { name: 'atx-spaces', path: 'atx-spaces.md', content: `# x${' '.repeat(n(200_000))}y\n` },
    { name: 'atx-brackets', path: 'atx-brackets.md', content: `# ${'['.repeat(n(200_000))}\n` },
    { name: 'setext-brackets', path: 'setext.md', content: `${'['.repeat(n(200_000))}\n===\n` },
    { name: 'nested-lists', path: 'lists.html', content: '<ul><li>x'.repeat(n(100_000)) + '</li></ul>'.repeat(n(100_000)) },
    { name: 'nested-divs', path: 'divs.html', content: '<div>'.repeat(n(100_000)) + 'x' + '</div>'.repeat(n(100_000)) },
    { name: 'combining-marks', path: 'marks.txt', content: 'e\u0301'.repeat(n(200_000)) },
    // One grapheme of 300,000 marks: cannot be cut between graphemes at all.
    { name: 'stacked-marks', path: 'stacked.txt', content: `a${'\u0301'.repeat(n(300_000))}` },
  ];
}
