import { describe, expect, it } from 'vitest';
import { keywordTokenCounter } from '../../src/tools/bench/hostile-documents.ts';
import { splitDocument } from '../../src/ingest/split-document.ts';
import { measureCpu, splitBudgetSeconds } from '../support/split-cpu-budget.ts';

/** Docs-site markup repeated until the documents are 0.2–1 MB: unclosed, deeply nested, never-ending. */
const SHAPES: Record<string, string> = {
  'unclosed ::: containers': '::: tip\n'.repeat(100_000),
  ':::: containers nested 50,000 deep': ':::: tip\n'.repeat(50_000) + '::::\n'.repeat(50_000),
  'lone ::: closers': ':::\n'.repeat(200_000),
  'code groups nested in code groups': ':::: code-group\n::: code-group-item npm\n'.repeat(25_000) + ':::\n::::\n'.repeat(25_000),
  'MkDocs admonitions nested 400 deep': Array.from({ length: 400 }, (_, i) => `${'    '.repeat(i)}!!! note "t"\n`).join(''),
  'MkDocs tabs, 100,000 of them': '=== "npm"\n    text\n'.repeat(100_000),
  'GitHub alerts, 100,000 lines': '> [!NOTE]\n'.repeat(100_000),
  '<Tabs>/<TabItem> nested 30,000 deep': '<Tabs>\n<TabItem value="npm">\n'.repeat(30_000) + '</TabItem>\n</Tabs>\n'.repeat(30_000),
  'unclosed component tags on one line': '<DocsLink path="'.repeat(50_000),
  'component tags with unclosed quotes': '<A "<A \''.repeat(50_000),
  'unclosed JSX expressions': '{'.repeat(300_000),
  'JSX expressions in tags, unclosed': '<A b={'.repeat(50_000),
  'backtick runs': '`a``'.repeat(100_000),
  'unclosed <script> lines': '<script setup>\n'.repeat(100_000),
  'headings with {# but no }': `## a ${'{#'.repeat(100_000)}\n`,
  'ESM lines without a blank line': "import a from 'b'\n".repeat(50_000),
};

describe('docs-site dialects on hostile documents (issue 16, as issue 15)', () => {
  it.each(Object.entries(SHAPES).flatMap(([name, content]) => [[name, 'md', content] as const, [name, 'mdx', content] as const]))(
    '%s (.%s) splits in bounded time',
    (_name, extension, content) => {
      // Same budget as the property test.
      const { result: paragraphs, seconds } = measureCpu(() => splitDocument({ path: `hostile.${extension}`, content }, keywordTokenCounter));
      expect(seconds).toBeLessThan(splitBudgetSeconds(content.length / 1e6));
      for (const paragraph of paragraphs) expect(paragraph.end).toBeLessThanOrEqual(content.length);
    },
    30_000,
  );
});
