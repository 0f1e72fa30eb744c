import { describe, expect, it } from 'vitest';
import { splitDocument } from '../../src/ingest/split-document.ts';
import type { Paragraph } from '../../src/ingest/types.ts';
import { fakeTokenCounter, squash } from './fake-token-counter.ts';

const counter = fakeTokenCounter(200);

function split(content: string, path = 'guides/reset-password.md'): Paragraph[] {
  return splitDocument({ path, content }, counter);
}

const LONG = 'This sentence is comfortably long enough to be a paragraph of its own.';

describe('splitDocument (markdown)', () => {
  it('uses headings as sections and the first # heading as the title, never as paragraphs', () => {
    const content = [
      '## Before the title',
      '',
      LONG,
      '',
      '# Reset *your* `password`',
      '',
      'To reset a forgotten password, open the login page and choose Forgot password.',
      '',
      '## Two-factor [login](https://example.com/2fa)',
      '',
      'Two-factor login asks for a code from your phone app on every new device.',
    ].join('\n');

    const paragraphs = split(content);

    expect(paragraphs.map((p) => p.title)).toEqual(Array(3).fill('Reset your password'));
    expect(paragraphs.map((p) => p.section)).toEqual(['Before the title', 'Reset your password', 'Two-factor login']);
    expect(paragraphs.some((p) => p.text.includes('#'))).toBe(false);
  });

  it('falls back to the readable file name for the title, and to the first heading of any level', () => {
    expect(split(LONG, 'guides/reset-password.md')[0]?.title).toBe('reset password');
    expect(split(LONG, 'my_setup-notes.markdown')[0]?.title).toBe('my setup notes');
    expect(split(`### Only a third-level heading\n\n${LONG}`)[0]?.title).toBe('Only a third-level heading');
  });

  it('reads setext headings', () => {
    const paragraphs = split(`Main title\n==========\n\n${LONG}\n\nSub part\n--------\n\n${LONG}`);
    expect(paragraphs.map((p) => [p.title, p.section])).toEqual([
      ['Main title', 'Main title'],
      ['Main title', 'Sub part'],
    ]);
  });

  it('gives no paragraphs for a document of only headings, or an empty one', () => {
    expect(split('# Title\n\n## Part one\n\n### Part two\n')).toEqual([]);
    expect(split('')).toEqual([]);
    expect(split('\n  \n\t\n')).toEqual([]);
  });

  it('keeps a list whole, across single blank lines and continuation lines', () => {
    const list = [
      '- Open the settings page of your account',
      '- Choose "Security", then "Password"',
      '',
      '- Type the new password twice',
      '  and confirm it with the code we email you',
      '1. numbered items belong to the list as well',
    ].join('\n');
    const paragraphs = split(`# Steps\n\n${list}\n\n${LONG}`);

    expect(paragraphs.map((p) => p.text)).toEqual([list, LONG]);
    expect(paragraphs[0]?.text).toContain('- Type the new password twice\n  and confirm it');
  });

  it('keeps a fenced code block whole even with blank lines inside', () => {
    const code = ['```bash', 'npm run build', '', '', 'npm run start -- --port 8080', '```'].join('\n');
    const tilde = ['~~~', 'first line of a longer example here', '', 'last line of the example', '~~~'].join('\n');
    const paragraphs = split(`# Build\n\n${code}\n\n${tilde}\n\n${LONG}`);

    expect(paragraphs.map((p) => p.text)).toEqual([code, tilde, LONG]);
  });

  it('normalises CRLF inside code blocks to \\n and keeps the offsets on the source', () => {
    const code = ['```', 'first line of a longer example here', '', '    indented second line', '```'];
    const content = `# Build\r\n\r\n${code.join('\r\n')}\r\n\r\n${LONG}\r\n`;
    const [block] = split(content);

    expect(block?.text).toBe(code.join('\n'));
    expect(content.slice(block!.start, block!.end)).toBe(code.join('\r\n'));
  });

  it('joins a short fragment to the following paragraph, or to the previous one when it is last', () => {
    const content = `# Notes\n\nNote:\n\n${LONG}\n\n${LONG} Again.\n\nThat is all.\n\n## Next\n\n${LONG}`;
    const paragraphs = split(content);

    expect(paragraphs.map((p) => p.text)).toEqual([`Note: ${LONG}`, `${LONG} Again. That is all.`, LONG]);
    const joined = paragraphs[0]!;
    expect(content.slice(joined.start, joined.end)).toBe(`Note:\n\n${LONG}`);
  });

  it('never joins a fragment across a heading', () => {
    const paragraphs = split(`# A\n\n${LONG}\n\n## B\n\nToo short.\n\n## C\n\n${LONG}`);
    expect(paragraphs.map((p) => [p.section, p.text])).toEqual([
      ['A', LONG],
      ['B', 'Too short.'],
      ['C', LONG],
    ]);
  });

  it('collapses line breaks inside prose and gives offsets of the exact source span', () => {
    const source = 'To reset a forgotten   password,\nopen the login page\r\nand choose Forgot password.';
    const content = `# Help\n\n${source}\n\n${LONG}\n`;
    const [first, second] = split(content);

    expect(first?.text).toBe('To reset a forgotten password, open the login page and choose Forgot password.');
    expect(content.slice(first!.start, first!.end)).toBe(source);
    expect(content.slice(second!.start, second!.end)).toBe(LONG);
    expect([first?.ordinal, second?.ordinal]).toEqual([1, 2]);
  });

  it('drops blockquote markers and front matter but keeps the quoted text', () => {
    const content = `---\ntitle: ignored\n---\n> ${LONG}\n> And a second quoted line.\n`;
    const [quote] = split(content);
    expect(quote?.text).toBe(`${LONG} And a second quoted line.`);
    expect(squash(content.slice(quote!.start, quote!.end)).replaceAll('>', '')).toBe(squash(quote!.text));
  });
});
