import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { splitDocument } from '../../src/ingest/split-document.ts';
import type { Paragraph, SourceDocument } from '../../src/ingest/types.ts';
import { fakeTokenCounter, squash } from './fake-token-counter.ts';

const LONG = 'This sentence is comfortably long enough to be a paragraph of its own.';

/** Every paragraph's offsets cover exactly its source: the same characters, whitespace aside. */
function expectOffsetsAtSource(document: SourceDocument, paragraphs: readonly Paragraph[]): void {
  for (const paragraph of paragraphs) {
    expect(squash(document.content.slice(paragraph.start, paragraph.end))).toBe(squash(paragraph.text));
  }
}

function hasLoneSurrogate(text: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

describe('splitDocument (plain text)', () => {
  it('separates paragraphs at blank or whitespace-only lines, with LF, CRLF or lone CR line ends', () => {
    const document = {
      path: 'notes/release_notes.txt',
      content:
        `${LONG}\r\nIt wraps onto a second line.\r\n \t \r\n` +
        `${LONG}\r\rA third paragraph,\nlong enough to stand alone here.`,
    };
    const paragraphs = splitDocument(document, fakeTokenCounter(200));

    expect(paragraphs.map((p) => p.text)).toEqual([
      `${LONG} It wraps onto a second line.`,
      LONG,
      'A third paragraph, long enough to stand alone here.',
    ]);
    expect(paragraphs.map((p) => [p.ordinal, p.title, p.section])).toEqual([
      [1, 'release notes', ''],
      [2, 'release notes', ''],
      [3, 'release notes', ''],
    ]);
    expectOffsetsAtSource(document, paragraphs);
    expect(paragraphs[0]!.hash).toBe(createHash('sha256').update(paragraphs[0]!.text).digest('hex'));
  });

  it('handles Chinese, emoji and a leading BOM; a short Chinese line is a fragment', () => {
    const emoji = '🎉 Launch day 👩‍💻 is here and everyone is invited to the party! 🚀';
    const chinese = '省政府召开常务会议，研究部署下一阶段的重点工作。会议强调要抓好落实。';
    const document = { path: '会议.txt', content: `\ufeff${emoji}\r\n\r\n${chinese}\r\n\r\n短句。\r\n` };
    const paragraphs = splitDocument(document, fakeTokenCounter(200));

    expect(paragraphs.map((p) => p.text)).toEqual([emoji, `${chinese}短句。`]);
    expect(paragraphs[0]!.start).toBe(1);
    expect(paragraphs[0]!.title).toBe('会议');
    expectOffsetsAtSource(document, paragraphs);
  });

  it('joins lines of wrapped Chinese prose without adding spaces', () => {
    const document = { path: 'a.txt', content: '省政府召开常务会议，研究部署\n下一阶段的重点工作和任务安排。' };
    expect(splitDocument(document, fakeTokenCounter(200))[0]?.text).toBe(
      '省政府召开常务会议，研究部署下一阶段的重点工作和任务安排。',
    );
  });

  it('never throws on odd content', () => {
    const counter = fakeTokenCounter(5);
    const oddContents = ['', '\ufeff', '\r\r\n\n', '\u0000\u0001', '\ud800 lone surrogate', '<<<>>>', '# '.repeat(50)];
    for (const content of oddContents) {
      expect(() => splitDocument({ path: 'odd.txt', content }, counter)).not.toThrow();
      expect(() => splitDocument({ path: 'odd.md', content }, counter)).not.toThrow();
      expect(() => splitDocument({ path: 'odd.html', content }, counter)).not.toThrow();
    }
    expect(splitDocument({ path: 'empty.txt', content: '' }, counter)).toEqual([]);
  });
});

describe('splitDocument (long paragraphs)', () => {
  it('splits a paragraph over the limit at sentence ends, each chunk within the limit, text kept in order', () => {
    const sentences = Array.from({ length: 40 }, (_, i) => `Sentence number ${i + 1} has exactly seven words.`);
    const document = { path: 'long.md', content: `# Long\n\n${sentences.join(' ')}\n\n${LONG}` };
    const counter = fakeTokenCounter(30);

    const paragraphs = splitDocument(document, counter);

    const chunks = paragraphs.slice(0, -1);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(counter.countTokens(chunk.text)).toBeLessThanOrEqual(30);
      expect(chunk.text).toMatch(/^Sentence number \d+ .*words\.$/);
      expect(chunk.section).toBe('Long');
    }
    expect(chunks.map((chunk) => chunk.text).join(' ')).toBe(sentences.join(' '));
    expect(paragraphs.map((p) => p.ordinal)).toEqual(paragraphs.map((_, i) => i + 1));
    expect(paragraphs.at(-1)?.text).toBe(LONG);
    expectOffsetsAtSource(document, paragraphs);
  });

  it('calls the token counter a reasonable number of times', () => {
    const text = Array.from({ length: 2000 }, (_, i) => `Sentence ${i} is here.`).join(' ');
    const counter = fakeTokenCounter(50);
    const paragraphs = splitDocument({ path: 'big.txt', content: text }, counter);

    expect(paragraphs.length).toBeGreaterThan(100);
    expect(counter.calls).toBeLessThan(2000 + paragraphs.length * 20);
  });

  it('cuts a single overlong sentence between words, and an endless word between graphemes', () => {
    const counter = { maxTokens: 8, countTokens: (text: string) => Math.ceil(text.length / 6) };
    const words = Array.from({ length: 100 }, (_, i) => `word${i}`).join(' ');
    const emojiWord = `x${'👩‍💻🚀'.repeat(30)}`;
    const wordDocument = { path: 'line.txt', content: words };
    const emojiDocument = { path: 'emoji.txt', content: emojiWord };

    const wordChunks = splitDocument(wordDocument, counter);
    const emojiChunks = splitDocument(emojiDocument, counter);

    expect(wordChunks.length).toBeGreaterThan(10);
    expect(wordChunks.map((p) => p.text).join(' ')).toBe(words);
    expect(emojiChunks.length).toBeGreaterThan(2);
    expect(emojiChunks.map((p) => p.text).join('')).toBe(emojiWord);
    for (const paragraph of [...wordChunks, ...emojiChunks]) {
      expect(counter.countTokens(paragraph.text)).toBeLessThanOrEqual(8);
      expect(hasLoneSurrogate(paragraph.text)).toBe(false);
      // A ZWJ at an edge would mean the 👩‍💻 sequence was cut in two.
      expect(paragraph.text).not.toMatch(/^\u200d|\u200d$/);
    }
    expectOffsetsAtSource(wordDocument, wordChunks);
    expectOffsetsAtSource(emojiDocument, emojiChunks);
  });

  it('cuts Chinese text at 。！？ and, as a last resort, between characters', () => {
    const sentence = '会议强调必须深入学习贯彻重要讲话精神。';
    const content = `${sentence.repeat(6)}${'进一步深化改革'.repeat(10)}`;
    const counter = fakeTokenCounter(25);

    const paragraphs = splitDocument({ path: 'zh.txt', content }, counter);

    expect(paragraphs.slice(0, 3).map((p) => p.text)).toEqual(Array(3).fill(sentence));
    for (const paragraph of paragraphs) expect(counter.countTokens(paragraph.text)).toBeLessThanOrEqual(25);
    expect(paragraphs.map((p) => p.text).join('')).toBe(content);
    expectOffsetsAtSource({ path: 'zh.txt', content }, paragraphs);
  });
});

describe('splitDocument (sample document)', () => {
  it('splits the provincial government meeting report into several paragraphs', () => {
    const path = 'provincial-government-executive-meeting.txt';
    const content = fs.readFileSync(new URL(`../../index-data/docs/${path}`, import.meta.url), 'utf8');
    const paragraphs = splitDocument({ path, content }, fakeTokenCounter(256));

    expect(paragraphs.length).toBeGreaterThan(2);
    expect(paragraphs.some((p) => p.text.includes('presided over the executive meeting'))).toBe(true);
    expect(paragraphs[0]?.title).toBe('provincial government executive meeting');
    expectOffsetsAtSource({ path, content }, paragraphs);
  });
});
