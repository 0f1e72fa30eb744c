import { describe, expect, it } from 'vitest';
import { splitDocument } from '../../src/ingest/split-document.ts';
import type { Paragraph } from '../../src/ingest/types.ts';
import { fakeTokenCounter } from './fake-token-counter.ts';

const counter = fakeTokenCounter(200);
const LONG = 'This sentence is comfortably long enough to be a paragraph of its own.';

function split(path: string, content: string): Paragraph[] {
  return splitDocument({ path, content }, counter);
}

describe('where a document says it lives', () => {
  it('reads url: from Markdown front matter (YAML), and never quotes or indexes the front matter', () => {
    const paragraphs = split('guide/setup.md', ['---', 'title: "Setup: the guide"', 'url: https://docs.example.com/guide/setup', 'tags: [a, b]', '---', '', LONG].join('\n'));
    expect(paragraphs.map((p) => [p.title, p.url, p.text])).toEqual([['Setup: the guide', 'https://docs.example.com/guide/setup', LONG]]);
  });

  it('reads source: when there is no url:, and ignores values that are not absolute http(s) URLs', () => {
    const source = split('a.md', ['---', 'source: "https://github.com/org/repo/blob/main/a.md"', '---', LONG].join('\n'));
    expect(source[0]!.url).toBe('https://github.com/org/repo/blob/main/a.md');
    for (const bad of ['/guide/setup', 'javascript:alert(1)', 'file:///etc/passwd', 'https://user:secret@example.com/', '[not, a, url]']) {
      const paragraphs = split('b.md', ['---', `url: ${bad}`, 'title: Kept', '---', LONG].join('\n'));
      expect(paragraphs[0]!.url).toBeUndefined();
      expect(paragraphs[0]!.title).toBe('Kept');
    }
  });

  it('keeps front matter slug and permalink (docs sites) on every paragraph, for the link to the page', () => {
    const paragraphs = split('team/about.md', ['---', 'slug: about-us', 'permalink: /about/', '---', LONG, '', `${LONG} Again.`].join('\n'));
    expect(paragraphs.map((p) => [p.slug, p.permalink])).toEqual([['about-us', '/about/'], ['about-us', '/about/']]);
  });

  it('reads a document whose front matter is not valid YAML, without a URL', () => {
    const paragraphs = split('c.md', ['---', 'url: [unclosed', 'title: x: y: z', '---', LONG].join('\n'));
    expect(paragraphs.map((p) => p.text)).toEqual([LONG]);
    expect(paragraphs[0]!.url).toBeUndefined();
  });

  it('reads <link rel="canonical"> from an HTML page (the form synced web pages are stored in)', () => {
    const html = `<html><head><title>Setup</title><link rel="Canonical alternate" href="https://example.com/docs/setup?x=1&amp;y=2"></head><body><p>${LONG}</p></body></html>`;
    expect(split('setup.html', html)[0]!.url).toBe('https://example.com/docs/setup?x=1&y=2');
    expect(split('other.html', `<link rel="canonical" href="/relative"><p>${LONG}</p>`)[0]!.url).toBeUndefined();
  });
});

describe('section anchors', () => {
  it("uses GitHub's slugs for Markdown headings, numbering repeated ones as GitHub does", () => {
    const content = ['# Guide', '', '## Setup', '', LONG, '', '## Setup', '', LONG, '', '## Set up & run `npm start`!', '', LONG, '', '## Setup', '', LONG].join('\n');
    expect(split('g.md', content).map((p) => p.anchor)).toEqual(['setup', 'setup-1', 'set-up--run-npm-start', 'setup-2']);
  });

  it('keeps non-ASCII letters and CJK characters in slugs, as GitHub does', () => {
    const content = ['## Über die Größe', '', LONG, '', '## 安装与配置', '', '这是一个足够长的中文段落，用来说明如何安装与配置这个机器人。', '', '## Café — prix', '', LONG].join('\n');
    expect(split('i18n.md', content).map((p) => p.anchor)).toEqual(['über-die-größe', '安装与配置', 'café--prix']);
  });

  it("uses an HTML heading's id, or the id of an element inside it; a heading without one has no anchor", () => {
    const html = `<h1 id="top">Guide</h1><p>${LONG}</p><h2><a id="install-step" href="#install-step"></a>Install</h2><p>${LONG}</p><h2>Plain</h2><p>${LONG}</p>`;
    expect(split('g.html', html).map((p) => [p.section, p.anchor])).toEqual([
      ['Guide', 'top'],
      ['Install', 'install-step'],
      ['Plain', undefined],
    ]);
  });
});

describe('formatting kept in the paragraph text', () => {
  it('HTML pre becomes a fenced block with its language, inline code keeps backticks', () => {
    const html = `<p>Run <code>npm ci</code> first, then build the whole project from the root folder.</p><pre><code class="hljs language-bash">npm run build\n# done</code></pre>`;
    expect(split('c.html', html).map((p) => p.text)).toEqual([
      'Run `npm ci` first, then build the whole project from the root folder.\n```bash\nnpm run build\n# done\n```',
    ]);
  });

  it('Markdown indented code becomes a fenced block; fenced code keeps its fence and language', () => {
    const content = ['Indented code follows this sentence, which is long enough on its own.', '', '    make all', '    make test', '', '```ts', 'const a = 1;', '```'].join('\n');
    const texts = split('code.md', content).map((p) => p.text);
    expect(texts.join('\n')).toContain('```\nmake all\nmake test\n```');
    expect(texts.join('\n')).toContain('```ts\nconst a = 1;\n```');
  });
});
