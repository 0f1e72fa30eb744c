/**
 * Times the ingestion of a generated PDF (default 100 pages; each a heading and six paragraphs of four lines under
 * a running header and footer):
 *
 *   node --import tsx src/tools/bench/pdf-ingestion.ts [--pages N]     # or: npm run bench-pdf -- --pages N
 *
 * Prints two figures: reading and splitting the PDF in this process (pdfjs import included, keyword-mode token
 * counter), and a whole `reindex` of a knowledge base holding only that PDF in keyword mode, which splits it in
 * the splitting process as the bot and `docqa index` do (that process's start-up included; nothing embedded).
 * The CPU time of the first is printed too: on a shared machine wall-clock time is noisy; run it a few times.
 * No model is needed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../../config.ts';
import { approximateTokenCounter } from '../../engine/approximate-token-counter.ts';
import { Engine } from '../../engine/engine.ts';
import { configuredEngineDependencies } from '../../engine-wiring.ts';
import { splitAnyDocument } from '../../ingest/split-document.ts';
import { makePdf, type PdfPageContent } from './binary-documents.ts';

const WORDS = 'the keeper checks lamp lens fuel horn logbook tide chart harbour pier beacon signal weather report crew boat'.split(' ');

/** Page `n`: a heading and six paragraphs of four lines, the last line of some hyphenated into the next. */
function page(n: number): PdfPageContent {
  const line = (i: number) => Array.from({ length: 11 }, (_, w) => WORDS[(n * 7 + i * 3 + w) % WORDS.length]).join(' ');
  return [
    { heading: `Chapter ${n}: procedures` },
    ...Array.from({ length: 6 }, (_, p) => ({ lines: [0, 1, 2, 3].map((l) => `${line(p * 4 + l)}${l === 1 ? ' main-' : ''}`), indent: p % 2 === 1 })),
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { pages: { type: 'string', default: '100' } } });
  const pages = Number(values.pages);
  if (!Number.isInteger(pages) || pages < 1) throw new Error('--pages must be a positive whole number');
  const bytes = await makePdf({ header: 'Lighthouse operations manual', footer: (n) => `Page ${n} of ${pages}`, pages: Array.from({ length: pages }, (_, i) => page(i + 1)) });

  let started = performance.now();
  const cpu = process.cpuUsage();
  const paragraphs = await splitAnyDocument({ path: 'manual.pdf', content: '', bytes }, approximateTokenCounter(256));
  const splitSeconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(cpu);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docqa-pdf-bench-'));
  try {
    fs.mkdirSync(path.join(dataDir, 'docs'));
    fs.writeFileSync(path.join(dataDir, 'docs', 'manual.pdf'), bytes);
    const config = parseConfig({ DATA_DIR: dataDir, SEARCH_MODE: 'keyword' }, dataDir).engine;
    const engine = await Engine.open(config, configuredEngineDependencies(config));
    started = performance.now();
    const report = await engine.reindex();
    const reindexSeconds = (performance.now() - started) / 1000;
    const result = {
      pages,
      bytes: bytes.length,
      paragraphs: paragraphs.length,
      splitSeconds: Number(splitSeconds.toFixed(2)),
      splitCpuSeconds: Number(((user + system) / 1e6).toFixed(2)),
      reindexSeconds: Number(reindexSeconds.toFixed(2)),
      indexedParagraphs: report.paragraphs,
      skipped: report.skipped.length,
      maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    console.log(JSON.stringify(result));
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
