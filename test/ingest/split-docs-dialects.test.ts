import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { splitDocument } from '../../src/ingest/split-document.ts';
import type { Paragraph } from '../../src/ingest/types.ts';
import { makeDataDir, openEngine, tinyEngineConfig } from '../support/engine-fixture.ts';
import { fakeTokenCounter } from './fake-token-counter.ts';

const counter = fakeTokenCounter(200);
const FENCE = '```';

/** Issue 16: one page of each docs-site dialect, as those sites write them. */
const FIXTURES: Record<string, string> = {
  'vuepress/registering.md': [
    '---',
    'title: Registering commands',
    'slug: /guide/registering',
    '---',
    '# Registering slash commands',
    '',
    '::: tip',
    'For fully functional slash commands you need three pieces of code in your project.',
    ':::',
    '',
    '## Installing {#install}',
    '',
    'Install the library with your package manager of choice before anything else:',
    '',
    ':::: code-group',
    '::: code-group-item npm',
    `${FENCE}sh:no-line-numbers`,
    'npm install discord.js @discordjs/voice @discordjs/rest',
    FENCE,
    ':::',
    '::: code-group-item yarn',
    `${FENCE}sh:no-line-numbers`,
    'yarn add discord.js @discordjs/voice @discordjs/rest',
    FENCE,
    ':::',
    '::::',
    '',
    'When creating a new <DocsLink path="Client:Class" />, you can limit the size of caches with the `makeCache` option.',
    '',
    '<DiscordMessages>',
    '\t<DiscordMessage profile="bot">',
    '\t\tPong! The bot answered the ping command within a second.',
    '\t</DiscordMessage>',
    '</DiscordMessages>',
    '',
    '::: warning Careful',
    'Never share your bot token with anyone; it gives full control of your bot.',
    ':::',
  ].join('\n'),
  'vitepress/getting-started.md': [
    '# Getting started',
    '',
    '::: code-group',
    `${FENCE}sh [pnpm]`,
    'pnpm add -D vitepress, the static site generator',
    FENCE,
    `${FENCE}sh [npm]`,
    'npm add -D vitepress, the static site generator',
    FENCE,
    ':::',
    '',
    '::: details Where the configuration lives',
    'The configuration file lives in the docs folder and is written in TypeScript.',
    ':::',
    '',
    '<script setup>',
    "import { useData } from 'vitepress'",
    '</script>',
    '',
    '::: info',
    'This page is rendered by VitePress.',
    ':::',
    '',
    'Markup inside code is code:',
    '',
    FENCE + 'md',
    '::: tip',
    '<Tabs> {#not-an-anchor}',
    ':::',
    FENCE,
  ].join('\n'),
  'docusaurus/installation.mdx': [
    '---',
    'sidebar_label: Install',
    'slug: /install',
    '---',
    "import Tabs from '@theme/Tabs';",
    "import TabItem from '@theme/TabItem';",
    'export const Highlight = ({children}) => <span>{children}</span>;',
    '',
    '# Installation {#installation}',
    '',
    ':::note[Before you start]',
    'Docusaurus needs Node.js 18 or above, checked with `node --version` or `node -v`.',
    ':::',
    '',
    '<Tabs groupId="package-manager">',
    '  <TabItem value="yarn" label="Yarn">',
    `    ${FENCE}bash`,
    '    yarn add @docusaurus/core @docusaurus/preset-classic',
    `    ${FENCE}`,
    '  </TabItem>',
    '  <TabItem value="npm" label="npm">',
    `    ${FENCE}bash`,
    '    npm install @docusaurus/core @docusaurus/preset-classic',
    `    ${FENCE}`,
    '  </TabItem>',
    '</Tabs>',
    '',
    'The site is built with <Highlight>one command</Highlight>{/* a comment */} and served from the build folder{props.note}.',
    '',
    ':::danger',
    '',
    'Never commit the build folder; it is generated again by every build.',
    '',
    ':::',
  ].join('\n'),
  'mkdocs/configuration.md': [
    '# Configuration',
    '',
    '!!! note "Python version"',
    '    MkDocs needs a recent version of Python, with pip installed alongside it.',
    '',
    `    ${FENCE}bash`,
    '    python3 -m pip install --upgrade pip setuptools',
    `    ${FENCE}`,
    '',
    '=== "pip"',
    '',
    `    ${FENCE}bash`,
    '    pip install mkdocs-material mkdocs-minify-plugin',
    `    ${FENCE}`,
    '',
    '=== "docker"',
    '',
    `    ${FENCE}bash`,
    '    docker pull squidfunk/mkdocs-material and run it',
    `    ${FENCE}`,
    '',
    '??? tip',
    '    Preview the site while writing with mkdocs serve, which reloads on save.',
  ].join('\n'),
  'github/README.md': [
    '# Project',
    '',
    '> [!NOTE]',
    '> Useful information that users should know, even when skimming content.',
    '',
    '> [!WARNING]',
    '> Urgent info that needs immediate user attention',
    '> to avoid problems.',
    '',
    '> An ordinary quote stays an ordinary quote of the text we wrote.',
  ].join('\n'),
};

function split(file: string): Paragraph[] {
  return splitDocument({ path: file, content: FIXTURES[file]! }, counter);
}

const rows = (paragraphs: Paragraph[]): string[][] => paragraphs.map((p) => [p.section, p.text]);

describe('splitDocument (docs-site dialects, issue 16)', () => {
  it('VuePress: tips and warnings labelled, one code-group item (npm), components reduced to their text', () => {
    const paragraphs = split('vuepress/registering.md');
    expect(rows(paragraphs)).toEqual([
      ['Registering slash commands', 'Tip: For fully functional slash commands you need three pieces of code in your project.'],
      ['Installing', 'Install the library with your package manager of choice before anything else:'],
      ['Installing', `${FENCE}sh:no-line-numbers\nnpm install discord.js @discordjs/voice @discordjs/rest\n${FENCE}`],
      ['Installing', 'When creating a new Client, you can limit the size of caches with the `makeCache` option.'],
      ['Installing', 'Pong! The bot answered the ping command within a second.'],
      ['Installing', 'Warning: Careful. Never share your bot token with anyone; it gives full control of your bot.'],
    ]);
    expect(paragraphs[0]).toMatchObject({ title: 'Registering commands', slug: '/guide/registering', anchor: 'registering-slash-commands' });
    expect(paragraphs.slice(1).map((p) => p.anchor)).toEqual(Array(5).fill('install'));
    const tip = paragraphs[0]!;
    expect(FIXTURES['vuepress/registering.md']!.slice(tip.start, tip.end)).toBe(
      '::: tip\nFor fully functional slash commands you need three pieces of code in your project.',
    );
  });

  it('VitePress: the npm fence of a code group, details and info labelled, <script setup> dropped, code verbatim', () => {
    expect(rows(split('vitepress/getting-started.md'))).toEqual([
      ['Getting started', `${FENCE}sh [npm]\nnpm add -D vitepress, the static site generator\n${FENCE}`],
      ['Getting started', 'Details: Where the configuration lives. The configuration file lives in the docs folder and is written in TypeScript.'],
      ['Getting started', 'Info: This page is rendered by VitePress.'],
      ['Getting started', `Markup inside code is code:\n${FENCE}md\n::: tip\n<Tabs> {#not-an-anchor}\n:::\n${FENCE}`],
    ]);
  });

  it('Docusaurus MDX: ESM dropped, the npm TabItem, titled note, JSX expressions removed, {#id} anchor', () => {
    const paragraphs = split('docusaurus/installation.mdx');
    expect(rows(paragraphs)).toEqual([
      ['Installation', 'Note: Before you start. Docusaurus needs Node.js 18 or above, checked with `node --version` or `node -v`.'],
      ['Installation', `${FENCE}bash\nnpm install @docusaurus/core @docusaurus/preset-classic\n${FENCE}`],
      ['Installation', 'The site is built with one command and served from the build folder.'],
      ['Installation', 'Danger: Never commit the build folder; it is generated again by every build.'],
    ]);
    expect(paragraphs[0]).toMatchObject({ title: 'Installation', slug: '/install', anchor: 'installation' });
  });

  it('MkDocs: !!! and ??? admonitions with their indented body, the first content tab', () => {
    expect(rows(split('mkdocs/configuration.md'))).toEqual([
      ['Configuration', 'Note: Python version. MkDocs needs a recent version of Python, with pip installed alongside it.'],
      ['Configuration', `${FENCE}bash\npython3 -m pip install --upgrade pip setuptools\n${FENCE}`],
      ['Configuration', `${FENCE}bash\npip install mkdocs-material mkdocs-minify-plugin\n${FENCE}`],
      ['Configuration', 'Tip: Preview the site while writing with mkdocs serve, which reloads on save.'],
    ]);
  });

  it('GitHub alerts: labelled, each its own paragraph; an ordinary quote is unchanged', () => {
    expect(rows(split('github/README.md'))).toEqual([
      ['Project', 'Note: Useful information that users should know, even when skimming content.'],
      ['Project', 'Warning: Urgent info that needs immediate user attention to avoid problems.'],
      ['Project', 'An ordinary quote stays an ordinary quote of the text we wrote.'],
    ]);
  });

  it('leaves no docs-site markup in any indexed paragraph outside code', () => {
    for (const file of Object.keys(FIXTURES)) {
      for (const paragraph of split(file).filter((p) => !p.text.includes(FENCE))) {
        expect(paragraph.text, file).not.toMatch(/:::|!!!|\?\?\?|<\/?[A-Z]|\bimport .* from|\{#|\[!NOTE\]|\{\/\*|^===/m);
      }
    }
  });

  it('records a {#custom} anchor, else a GitHub slug numbered when repeated; no anchor before any heading', () => {
    const content = `Text before any heading, long enough to stand alone here.\n\n## Set up & run {#setup}\n\nFirst paragraph under the setup heading, long enough.\n\n## FAQ\n\nOne paragraph under the first FAQ heading, long enough.\n\n## FAQ\n\nOne paragraph under the second FAQ heading, long enough.`;
    const paragraphs = splitDocument({ path: 'page.md', content }, counter);
    expect(paragraphs.map((p) => [p.section, p.anchor])).toEqual([
      ['', undefined],
      ['Set up & run', 'setup'],
      ['FAQ', 'faq'],
      ['FAQ', 'faq-1'],
    ]);
    expect(paragraphs[0]).not.toHaveProperty('anchor');
  });

  it('finds every admonition by keyword search (keyword-mode engine)', async () => {
    const dataDir = makeDataDir(FIXTURES);
    try {
      const engine = await openEngine(tinyEngineConfig(dataDir, { SEARCH_MODE: 'keyword' }));
      await engine.reindex();
      const questions: Record<string, string> = {
        'Why never share the bot token?': 'Never share your bot token',
        'How many pieces of code do slash commands need?': 'three pieces of code',
        'Where does the configuration file live?': 'configuration file lives in the docs folder',
        'Which page is rendered by VitePress?': 'rendered by VitePress',
        'Which Node.js version does Docusaurus need?': 'Docusaurus needs Node.js 18',
        'Should I commit the build folder?': 'Never commit the build folder',
        'Which Python version does MkDocs need?': 'MkDocs needs a recent version of Python',
        'How do I preview the site while writing?': 'Preview the site while writing',
        'What useful information should users know when skimming?': 'Useful information that users should know',
        'What urgent info needs immediate attention?': 'Urgent info that needs immediate user attention',
      };
      for (const [question, quote] of Object.entries(questions)) {
        const answer = await engine.ask(question);
        expect(answer.passages.map((passage) => passage.text).join('\n'), question).toContain(quote);
      }
      engine.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
