// Splits a docs folder and counts what docs-site markup is left in its paragraphs (issue 16, docs/ingestion.md).
//
//   node --import tsx src/tools/bench/docs-dialects.ts <docs folder> [--ingest <src/ingest of another checkout>]
//     [--mdx-as-md] [--quote <text>]...
//
// --ingest measures another version of the ingester (the "before"); --mdx-as-md reads .mdx files as .md (the
// old ingester did not read .mdx); each --quote prints the first paragraph holding that text.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Paragraph, SourceDocument, TokenCounter } from '../../ingest/types.ts';
import { keywordTokenCounter } from './hostile-documents.ts';

type Split = (doc: SourceDocument, counter: TokenCounter) => Paragraph[];

/** Markup that must not be left in a paragraph outside code. */
const MARKUP: Readonly<Record<string, RegExp>> = {
  ':::': /:::/,
  '!!!': /!!!/,
  '<Capitalised': /<\/?[A-Z][A-Za-z]/,
  'import … from': /^import .* from /m,
  '{#': /\{#/,
};
/** A command another package manager repeats after the npm one (one copy per tab). */
const OTHER_PACKAGE_MANAGER = /(^|\n)(yarn (add|global|run|dlx)|pnpm (add|run|install|dlx)|bun (add|run|install))\b/;
const LABEL = /^(Tip|Note|Info|Warning|Danger|Caution|Important|Details):/;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { ingest: { type: 'string' }, 'mdx-as-md': { type: 'boolean' }, quote: { type: 'string', multiple: true } },
  });
  const folder = positionals[0];
  if (!folder) throw new Error('usage: docs-dialects.ts <docs folder> [--ingest DIR] [--mdx-as-md] [--quote TEXT]...');
  const ingest = values.ingest ? path.resolve(values.ingest) : path.resolve(import.meta.dirname, '../ingest');
  const { splitDocument } = (await import(path.join(ingest, 'split-document.ts'))) as { splitDocument: Split };

  const files = fs
    .readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.mdx?$/.test(file) && !file.split(path.sep).some((part) => part.startsWith('.')))
    .sort();
  const started = process.hrtime.bigint();
  const paragraphs = files.flatMap((file) => {
    const content = fs.readFileSync(path.join(folder, file), 'utf8');
    const name = values['mdx-as-md'] ? file.replace(/\.mdx$/, '.md') : file;
    return splitDocument({ path: name.split(path.sep).join('/'), content }, keywordTokenCounter);
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;

  const prose = paragraphs.filter((paragraph) => !paragraph.text.includes('```'));
  const markupLeft = Object.fromEntries(Object.entries(MARKUP).map(([name, pattern]) => [name, prose.filter((p) => pattern.test(p.text)).length]));
  const labels: Record<string, number> = {};
  for (const paragraph of paragraphs) {
    const label = LABEL.exec(paragraph.text)?.[1];
    if (label) labels[label] = (labels[label] ?? 0) + 1;
  }
  console.log(
    JSON.stringify({
      files: files.length,
      paragraphs: paragraphs.length,
      sections: new Set(paragraphs.map((p) => `${p.document}\u0000${p.section}`)).size,
      markupLeftOutsideCode: markupLeft,
      otherPackageManagerCopies: paragraphs.filter((p) => OTHER_PACKAGE_MANAGER.test(p.text)).length,
      labelled: labels,
      withAnchor: paragraphs.filter((p) => p.anchor !== undefined).length,
      splitSeconds: Number(seconds.toFixed(2)),
    }),
  );
  for (const quote of values.quote ?? []) {
    const found = paragraphs.find((paragraph) => paragraph.text.includes(quote));
    const place = found ? `${found.document} › ${found.section}${found.anchor ? ` #${found.anchor}` : ''}` : 'not found';
    console.log(`\n${place}\n${found?.text ?? ''}`);
  }
}

await main();
