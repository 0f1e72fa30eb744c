import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppError, type ErrorCode } from '../../src/errors.ts';
import { makeDataDir, openEngine, tinyEngineConfig, writeDocuments } from '../support/engine-fixture.ts';

const GOOD = { 'ferry.md': '# Ferry\n\nThe ferry to the island leaves the harbour every hour, from six in the morning until ten at night.' };

async function engineWith(documents: Record<string, string | Buffer> = GOOD, extra: Record<string, string> = {}) {
  const dataDir = makeDataDir();
  for (const [name, content] of Object.entries(documents)) fs.writeFileSync(path.join(dataDir, 'docs', name), content);
  const config = tinyEngineConfig(dataDir, extra);
  const engine = await openEngine(config);
  const report = await engine.reindex();
  return { engine, report, dataDir, config };
}

describe('questions that cannot be searched get a clear message', () => {
  const cases: [string, string, ErrorCode, RegExp][] = [
    ['empty', '', 'EMPTY_QUESTION', /Please ask a question/],
    ['whitespace', ' \t\n  ', 'EMPTY_QUESTION', /Please ask a question/],
    ['4,000 characters', 'why '.repeat(1000), 'QUESTION_TOO_LONG', /limited to 1,000 characters; this one has 3,999/],
    ['only emoji', '🤔🤔 🙏', 'QUESTION_WITHOUT_WORDS', /no words to search for/],
    ['only punctuation', '?!?! ... ---', 'QUESTION_WITHOUT_WORDS', /no words to search for/],
    ['only control characters', '\u0000\u0007\u001b', 'EMPTY_QUESTION', /Please ask a question/],
  ];
  for (const [name, question, code, message] of cases) {
    it(name, async () => {
      const { engine } = await engineWith();
      const error = await engine.ask(question).catch((caught: unknown) => caught);
      expect(isAppError(error, code)).toBe(true);
      expect((error as Error).message).toMatch(message);
    });
  }

  it('control characters and unpaired surrogates are cleaned, and the question is answered', async () => {
    const { engine } = await engineWith();
    const answer = await engine.ask('ferry\u0000 to the \uD800island\u200b harbour\uDFFF?');
    expect(answer.question).toBe('ferry to the island harbour ?');
    expect(answer.passages[0]!.document).toBe('ferry.md');
  });
});

describe('odd documents are skipped with a reason; the rest is indexed', () => {
  it('binary, empty, invalid UTF-8, oversize files, and HTML full of scripts', async () => {
    const scripts = `<html><head><title>Opening hours</title><script>alert("x")</script><style>p{}</style></head><body>${'<script>document.write("evil")</script>'.repeat(20)}<p>The town hall opens at eight in the morning on weekdays and at ten on Saturdays.</p></body></html>`;
    const { engine, report } = await engineWith(
      {
        ...GOOD,
        'binary.txt': Buffer.from([0x00, 0x01, 0x02, 0xff, 0x00, 0x10]),
        'empty.md': '',
        'latin1.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x6f, 0x70, 0x65, 0x6e]),
        'huge.txt': 'x'.repeat(2048),
        'page.html': scripts,
      },
      { MAX_DOCUMENT_BYTES: '2000' },
    );
    const reasons = Object.fromEntries(report.skipped.map((skip) => [path.basename(skip.path), skip.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['binary.txt', 'empty.md', 'huge.txt', 'latin1.txt']);
    expect(reasons['huge.txt']).toMatch(/limit/);
    expect(engine.listDocuments().map((d) => d.path)).toEqual(['ferry.md', 'page.html']);
    const answer = await engine.ask('When does the town hall open on Saturdays?');
    expect(answer.passages[0]!.text).toBe('The town hall opens at eight in the morning on weekdays and at ten on Saturdays.');
    expect(JSON.stringify(answer)).not.toMatch(/evil|alert/);
  });

  it('a 50 MB document is refused by the size limit without reading it whole', async () => {
    const { report, engine } = await engineWith({ ...GOOD, 'big.txt': Buffer.alloc(50 * 1024 * 1024, 'a') });
    expect(report.skipped.map((skip) => path.basename(skip.path))).toEqual(['big.txt']);
    expect(engine.listDocuments()).toHaveLength(1);
  });

  it('no documents at all: indexing works and answers say there is no match', async () => {
    const { engine, report } = await engineWith({});
    expect(report).toMatchObject({ paragraphs: 0, added: 0 });
    expect(await engine.ask('anything at all?')).toMatchObject({ answered: false, passages: [] });
  });

  it('a file added while a reindex runs is not lost: the next reindex picks it up', async () => {
    const dataDir = makeDataDir(GOOD);
    const engine = await openEngine(tinyEngineConfig(dataDir));
    let added = false;
    await engine.reindex((progress) => {
      if (progress.phase === 'embedding' && !added) {
        added = true;
        writeDocuments(path.join(dataDir, 'docs'), { 'late.md': '# Late\n\nThis document arrived while the index was being built, halfway through.' });
      }
    });
    expect(added).toBe(true);
    const next = await engine.reindex();
    expect(next).toMatchObject({ added: 1, unchanged: 1 });
    expect(engine.listDocuments().map((d) => d.path)).toContain('late.md');
  });
});
