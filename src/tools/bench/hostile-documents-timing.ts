/**
 * Times splitting each hostile document of issue 15, each in its own capped process:
 *
 *   node --import tsx src/tools/bench/hostile-documents-timing.ts            # every case, a Markdown table
 *   node --import tsx src/tools/bench/hostile-documents-timing.ts <name>     # one case in this process, JSON
 *   node --import tsx src/tools/bench/hostile-documents-timing.ts --write <name> <folder>   # the file, to index it
 *
 * A case gets 1 GiB of heap and 120 s; one that runs out shows as "OOM" or "timeout". The token counter is the
 * engine's keyword-mode approximation, so no model is needed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitDocument } from '../../ingest/split-document.ts';
import { hostileDocuments, keywordTokenCounter } from './hostile-documents.ts';

const HEAP_MIB = 1024;
const TIMEOUT_MS = 120_000;

function runOne(name: string): void {
  const document = hostileDocuments().find((candidate) => candidate.name === name);
  if (!document) throw new Error(`no hostile document named ${name}`);
  const started = performance.now();
  const paragraphs = splitDocument(document, keywordTokenCounter);
  const seconds = (performance.now() - started) / 1000;
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ name, bytes: Buffer.byteLength(document.content), seconds, maxRssMiB, paragraphs: paragraphs.length }));
}

function runAll(): void {
  const script = fileURLToPath(import.meta.url);
  console.log('| case | size | time s | peak RSS MiB | paragraphs |\n| --- | ---: | ---: | ---: | ---: |');
  for (const { name, content } of hostileDocuments()) {
    const child = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MIB}`, '--import', 'tsx', script, name], {
      encoding: 'utf8',
      timeout: TIMEOUT_MS,
    });
    const size = `${Math.round(Buffer.byteLength(content) / 1000)} KB`;
    const result = child.status === 0 ? JSON.parse(child.stdout.trim().split('\n').at(-1)!) : undefined;
    if (result) {
      console.log(`| ${name} | ${size} | ${result.seconds.toFixed(2)} | ${result.maxRssMiB.toFixed(0)} | ${result.paragraphs} |`);
    } else {
      const failure = child.error ? 'timeout' : /heap out of memory/i.test(child.stderr) ? 'OOM' : `exit ${child.status}`;
      console.log(`| ${name} | ${size} | ${failure} | | |`);
    }
  }
}

/** Writes one case into `folder`, for timing the whole `docqa index` on it. */
function writeOne(name: string, folder: string): void {
  const document = hostileDocuments().find((candidate) => candidate.name === name);
  if (!document) throw new Error(`no hostile document named ${name}`);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, document.path), document.content);
}

const [first, ...rest] = process.argv.slice(2);
if (first === '--write') writeOne(rest[0]!, rest[1]!);
else if (first) runOne(first);
else runAll();
