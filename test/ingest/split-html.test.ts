import { describe, expect, it } from 'vitest';
import { splitDocument } from '../../src/ingest/split-document.ts';
import type { Paragraph } from '../../src/ingest/types.ts';
import { fakeTokenCounter } from './fake-token-counter.ts';

const counter = fakeTokenCounter(200);

function split(content: string, path = 'help/page.html'): Paragraph[] {
  return splitDocument({ path, content }, counter);
}

const LONG = 'This sentence is comfortably long enough to be a paragraph of its own.';

describe('splitDocument (HTML)', () => {
  it('drops head, scripts, styles, noscript and templates, and reads the title and sections', () => {
    const html = `<!DOCTYPE html>
<html><head><title>Account &amp; Security</title><meta charset="utf-8">
<style>p { color: red }</style><script>document.write("<p>hidden script text</p>")</script></head>
<body>
<noscript>Please enable JavaScript to use every feature of this page.</noscript>
<template><p>Template content that is never shown to anybody at all.</p></template>
<h1>Help</h1><p>${LONG}</p>
<h2>Passwords <small>(new)</small></h2><p>Reset your password from the login page, using the emailed link.</p>
<svg><title>icon title</title><text>svg text</text></svg>
</body></html>`;

    const paragraphs = split(html);

    expect(paragraphs.map((p) => [p.title, p.section, p.text])).toEqual([
      ['Account & Security', 'Help', LONG],
      ['Account & Security', 'Passwords (new)', 'Reset your password from the login page, using the emailed link.'],
    ]);
  });

  it('falls back to the first h1, then to the file name, for the title', () => {
    expect(split(`<h2>Intro</h2><p>${LONG}</p><h1>Main heading</h1>`)[0]?.title).toBe('Main heading');
    expect(split(`<p>${LONG}</p>`, 'help/getting_started.htm')[0]?.title).toBe('getting started');
  });

  it('decodes entities and turns no-break spaces into plain spaces', () => {
    const html = '<p>Fish &amp; chips&nbsp;&nbsp;cost &lt;5&gt; &#x4E2D;&#25991; &eacute;t&eacute; and more words.</p>';
    const [paragraph] = split(html);
    expect(paragraph?.text).toBe('Fish & chips cost <5> 中文 été and more words.');
  });

  it('gives offsets into the raw HTML', () => {
    const html = `<div><p>Fish &amp; chips are served every Friday from noon until late.</p>\n<p>${LONG}</p></div>`;
    const [first, second] = split(html);
    expect(html.slice(first!.start, first!.end)).toBe('Fish &amp; chips are served every Friday from noon until late.');
    expect(html.slice(second!.start, second!.end)).toBe(LONG);
  });

  it('keeps a list as one paragraph of "- " lines and keeps line breaks in pre', () => {
    const html = `<h2>Steps</h2>
<ol>
  <li>Open the <b>settings</b> page</li>
  <li>Choose security
      and password</li>
  <li>Confirm<ul><li>by email</li><li>or by phone</li></ul></li>
</ol>
<pre>npm run build -- --production

npm   run start -- --port 8080</pre><p>${LONG}</p>`;

    const paragraphs = split(html);

    expect(paragraphs.map((p) => p.text)).toEqual([
      '- Open the settings page\n- Choose security and password\n- Confirm\n  - by email\n  - or by phone',
      '```\nnpm run build -- --production\n\nnpm   run start -- --port 8080\n```',
      LONG,
    ]);
    expect(paragraphs.every((p) => p.section === 'Steps')).toBe(true);
  });

  it('separates blocks, table cells and double <br>, but not a single <br>', () => {
    const second = 'Second part after a double break, long enough to stand alone.';
    const html = `<p>First line of an address block<br>second line of the same block here</p>
<div>${LONG}<br><br>${second}</div>
<table><tr><td>${LONG}</td><td>${LONG}</td></tr></table>`;

    expect(split(html).map((p) => p.text)).toEqual([
      'First line of an address block second line of the same block here',
      LONG,
      second,
      LONG,
      LONG,
    ]);
  });

  it('tolerates broken markup', () => {
    const paragraphs = split(`<p>${LONG}<p>Unclosed <b>bold and <i>italic ${LONG}</div></span>`);
    expect(paragraphs.map((p) => p.text)).toEqual([LONG, `Unclosed bold and italic ${LONG}`]);
    expect(split('<html><head><title>Only a title</title></head><body> </body></html>')).toEqual([]);
  });
});
