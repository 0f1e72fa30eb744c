import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileDocuments, keywordTokenCounter } from '../../src/tools/bench/hostile-documents.ts';
import { splitDocument } from '../../src/ingest/split-document.ts';
import type { SourceDocument, TokenCounter } from '../../src/ingest/types.ts';
import { makeDataDir, openEngine, tinyEngineConfig } from '../support/engine-fixture.ts';
import { measureCpu, splitBudgetSeconds } from '../support/split-cpu-budget.ts';
import { fakeTokenCounter } from './fake-token-counter.ts';

// Deterministic: a failure replays with the same seed, and fast-check prints the shrunk document and its path.
const SEED = 15;
const MAX_UNITS = 1_000_000;
const MAX_GROWTH_MIB = 300;

const SAMPLE = fs.readFileSync('index-data/docs/provincial-government-executive-meeting.txt', 'utf8');
const CONTROL_QUESTIONS = [
  'Who presided over the executive meeting?',
  'What did the meeting review about safety production?',
  'How should state-owned enterprises be reformed?',
];

const PROSE = [
  'The ferry to the island leaves the harbour every hour, from six in the morning.',
  'Reset your password from the login page, using the link we email to you.',
  '会议由省长主持，研究部署了下一阶段的重点工作。',
  'Émile a réservé une table près de la fenêtre pour le dîner de vendredi.',
];
/** Markup of every format, and the characters that hostile documents repeat. */
const SYNTAX = [
  '# ', '## ', '###### ', '\n', '\n\n', '\r\n', '\r', '===\n', '---\n', '```\n', '~~~\n', '    ', '\t', '- ', '1. ', '> ',
  '| a | b |\n', '|---|\n', '[', ']', '(', ')', '![x](', '*', '_', '`', '\\', '<', '>', '#', '.', '!', '?', '。', ' ',
  '<ul>', '<li>', '</li>', '</ul>', '<ol>', '<div>', '</div>', '<p>', '</p>', '<br>', '<h1>', '</h1>', '<h2>', '<pre>',
  '</pre>', '<script>', '</script>', '<style>', '<svg>', '</svg>', '<math>', '<title>', '</title>', '<head>', '<form>',
  '<!--', '-->', '<![CDATA[', ']]>', '&amp;', '&nbsp;', '&#x1F600;', '&', '\u200b', '\u0301', '\u202e', '\ufeff',
  '\u2028', '\x1b[31m', '\x00', '🎉', '👩‍💻', '🇫🇷', '中', 'a', 'word ', '=', '+', '/', ':', '"', "'",
  // Docs-site dialects (issue 16).
  '::: tip\n', ':::\n', '::::\n', ':::: code-group\n', '::: code-group-item npm\n', '!!! note "t"\n', '??? tip\n',
  '=== "npm"\n', '> [!NOTE]\n', '<Tabs>\n', '<TabItem value="npm">\n', '</TabItem>\n', '</Tabs>\n',
  '<DocsLink path="a:B" />', '{', '}', ' {#id}', "import x from 'y'\n", 'export ', '<script setup>\n', '---\ntitle: t\n---\n',
];

const unit = fc.oneof(fc.constantFrom(...SYNTAX), fc.constantFrom(...PROSE), fc.string({ unit: 'grapheme', maxLength: 20 }));
/** A run of one unit repeated: the shape behind every quadratic pattern and segmenter blow-up found so far. */
const run = fc.tuple(unit, fc.integer({ min: 1, max: 200_000 })).map(([text, count]) => text.repeat(Math.min(count, Math.ceil(MAX_UNITS / Math.max(1, text.length)))));
const piece = fc.oneof(
  { weight: 4, arbitrary: unit },
  { weight: 2, arbitrary: run },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
);
const extension = fc.constantFrom('txt', 'md', 'mdx', 'html');
const randomDocument: fc.Arbitrary<SourceDocument> = fc
  .tuple(extension, fc.array(piece, { maxLength: 40 }))
  .map(([ext, pieces]) => ({ path: `random.${ext}`, content: pieces.join('').slice(0, MAX_UNITS) }));
/** The shapes of issue 15 at random sizes, read as any format. */
const hostileDocument: fc.Arbitrary<SourceDocument> = fc
  .tuple(fc.integer({ min: 0, max: hostileDocuments().length - 1 }), fc.double({ min: 0.05, max: 1.5, noNaN: true }), extension)
  .map(([index, scale, ext]) => ({ path: `hostile.${ext}`, content: hostileDocuments(scale)[index]!.content.slice(0, MAX_UNITS) }));
const anyDocument = fc.oneof({ weight: 3, arbitrary: randomDocument }, { weight: 1, arbitrary: hostileDocument });

/**
 * Splits `document`, checking every paragraph is well-formed and the split took bounded CPU time. The collection
 * before it (in `measureCpu`) also makes the peak RSS measured over all documents the largest one document needed.
 */
function expectBoundedSplit(document: SourceDocument, counter: TokenCounter): void {
  const { result: paragraphs, seconds } = measureCpu(() => splitDocument(document, counter));
  expect(seconds).toBeLessThan(splitBudgetSeconds(Buffer.byteLength(document.content) / 1e6));
  paragraphs.forEach((paragraph, index) => {
    expect(paragraph.ordinal).toBe(index + 1);
    expect(paragraph.text).not.toBe('');
    expect(paragraph.text.trim()).toBe(paragraph.text);
    expect(0 <= paragraph.start && paragraph.start <= paragraph.end && paragraph.end <= document.content.length).toBe(true);
    expect(counter.countTokens(paragraph.text)).toBeLessThanOrEqual(counter.maxTokens);
  });
}

describe('splitting random and hostile documents (property, issue 15)', () => {
  it('never throws, stays within the token limit, and takes bounded time and memory', async () => {
    const baselineMiB = process.resourceUsage().maxRSS / 1024;
    const counters = [keywordTokenCounter, fakeTokenCounter(8)];
    await fc.assert(
      fc.asyncProperty(anyDocument, fc.integer({ min: 0, max: counters.length - 1 }), async (document, counter) => {
        // Yield between runs: a worker blocked for a minute misses vitest's RPC deadline ("Timeout calling onTaskUpdate").
        await new Promise((resolve) => setImmediate(resolve));
        expectBoundedSplit(document, counters[counter]!);
      }),
      { seed: SEED, numRuns: 30 },
    );
    // Peak resident memory of this process over every run above.
    expect(process.resourceUsage().maxRSS / 1024 - baselineMiB).toBeLessThan(MAX_GROWTH_MIB);
  }, 120_000);

  it('never changes the answers to questions about the other documents', async () => {
    const topPassages = async (dataDir: string): Promise<string[]> => {
      const engine = await openEngine(tinyEngineConfig(dataDir, { SEARCH_MODE: 'keyword' }));
      await engine.reindex();
      const answers = await Promise.all(CONTROL_QUESTIONS.map((question) => engine.ask(question)));
      return answers.map((answer) => (answer.answered ? `${answer.passages[0]!.document} ¶${answer.passages[0]!.paragraphNumber}` : 'no match'));
    };
    const expected = await topPassages(makeDataDir({ 'sample.txt': SAMPLE }));
    expect(expected).not.toContain('no match');

    await fc.assert(
      fc.asyncProperty(anyDocument, async (document) => {
        const dataDir = makeDataDir({ 'sample.txt': SAMPLE });
        try {
          // Another server's upload: it must never change what the shared documents answer.
          const folder = path.join(dataDir, 'servers', '1001', 'docs');
          fs.mkdirSync(folder, { recursive: true });
          fs.writeFileSync(path.join(folder, document.path), document.content);
          expect(await topPassages(dataDir)).toEqual(expected);
        } finally {
          fs.rmSync(dataDir, { recursive: true, force: true });
        }
      }),
      { seed: SEED, numRuns: 8 },
    );
  }, 120_000);
});
