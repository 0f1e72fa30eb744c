import { describe, expect, it } from 'vitest';
import { buildAnswerEmbed, citationLine } from '../../src/bot/format/answer-message.ts';
import { quoteFormattedWithHighlights, quotePassage } from '../../src/bot/format/quote.ts';
import { DISCORD_LIMITS, maskedLink } from '../../src/bot/format/text.ts';

const ZWSP = '\u200b';

/** Every line of a quote starts with the quote marker: nothing a document holds can end the quote. */
function expectQuoted(quote: string): void {
  for (const line of quote.split('\n')) expect(line.startsWith('> ')).toBe(true);
}

/** The lines of the quote without their markers. */
const body = (quote: string) => quote.split('\n').map((line) => line.slice(2));

describe('quotePassage: formatting as written', () => {
  it('keeps a fenced code block a fenced block with its language, inside the quote', () => {
    const quote = quotePassage('Install it:\n```bash\nnpm ci\nnpm run build\n```', 1000);
    expectQuoted(quote);
    expect(body(quote)).toEqual(['Install it:', '```bash', 'npm ci', 'npm run build', '```']);
  });

  it('keeps inline code, lists (bullets as "-", nested) and shows a table in a code block', () => {
    const text = 'Use `npm ci` or ``a ` b`` here.\n* first\n  1) nested\n+ third\n| key | value |\n| --- | --- |\n| a | 1 |';
    expect(body(quotePassage(text, 1000))).toEqual([
      'Use `npm ci` or ``a ` b`` here.',
      '- first',
      '  1. nested',
      '- third',
      '```',
      '| key | value |',
      '| --- | --- |',
      '| a | 1 |',
      '```',
    ]);
  });

  it('drops a language that is not a plain word from the fence', () => {
    expect(body(quotePassage('```js title="a b" {1}\nx\n```', 1000))[0]).toBe('```js');
    expect(body(quotePassage('```<@123>\nx\n```', 1000))[0]).toBe('```');
  });
});

describe('quotePassage: nothing from a document breaks out or pings', () => {
  it('keeps backtick runs inside code from closing the block', () => {
    const quote = quotePassage('```md\nsee ``` here and ```` there\n```\nafter', 1000);
    const lines = body(quote);
    expect(lines[1]).not.toMatch(/``/);
    expect(lines[1]).toBe(`see \`${ZWSP}\`${ZWSP}\` here and \`${ZWSP}\`${ZWSP}\`${ZWSP}\` there`);
    expect(lines.filter((line) => line.startsWith('```'))).toEqual(['```md', '```']);
    expect(lines.at(-1)).toBe('after');
  });

  it('closes an unclosed code block and a lone backtick run stays text', () => {
    const lines = body(quotePassage('```py\nprint(1)', 1000));
    expect(lines).toEqual(['```py', 'print(1)', '```']);
    expect(body(quotePassage('a ``` b ` c', 1000))).toEqual(['a \\`\\`\\` b \\` c']);
  });

  it('escapes headings, subtext, quote lines, spoilers, emphasis and masked links', () => {
    const text = ['# Heading', '## Sub', '-# small print', '> quoted', '>>> rest of message', '||spoiler|| **bold** __under__ ~~gone~~', '[click here](https://evil.example/login)'].join('\n');
    const quote = quotePassage(text, 1000);
    expectQuoted(quote);
    expect(body(quote)).toEqual([
      '\\# Heading',
      '\\## Sub',
      '\\-# small print',
      '\\> quoted',
      '\\>>> rest of message',
      '\\|\\|spoiler\\|\\| \\*\\*bold\\*\\* \\_\\_under\\_\\_ \\~\\~gone\\~\\~',
      '\\[click here\\](https://evil.example/login)',
    ]);
  });

  it('escapes a heading or quote marker at the start of a list item too', () => {
    expect(body(quotePassage('- # big\n- > q', 1000))).toEqual(['- \\# big', '- \\> q']);
  });

  it('breaks @everyone, @here and user, role and channel mentions, in prose, inline code and code blocks', () => {
    const quote = quotePassage('Hi @everyone and @here <@123> <@!4> <@&5> <#6> `@everyone`\n```\n@here <@7>\n```', 1000);
    expect(quote).not.toMatch(/@everyone|@here|<@!?\d|<@&\d|<#\d/);
    expect(quote).toContain(`@${ZWSP}everyone`);
    expect(quote).toContain(`<${ZWSP}@123>`);
  });

  it('strips control characters', () => {
    expect(quotePassage('safe\u202e text\u001b[31m red', 1000)).toBe('> safe text red');
  });
});

describe('quotePassage: length', () => {
  it('cuts at a line or sentence within the budget and still closes a cut code block', () => {
    const code = ['Before the code.', '```js', ...Array.from({ length: 200 }, (_, i) => `line(${i});`), '```', 'After.'].join('\n');
    const quote = quotePassage(code, 300);
    expect(quote.length).toBeLessThanOrEqual(300);
    const lines = body(quote);
    expect(lines[0]).toBe('Before the code.');
    expect(lines.at(-2)).toBe('…');
    expect(lines.at(-1)).toBe('```');
    const prose = quotePassage('A sentence that is here. '.repeat(100), 200);
    expect(prose.length).toBeLessThanOrEqual(200);
    expect(prose).toMatch(/here\.…$/);
  });

  it('never lets escaping push a line past the budget', () => {
    const quote = quotePassage('*_|~'.repeat(500), 400);
    expect(quote.length).toBeLessThanOrEqual(400);
    expectQuoted(quote);
  });
});

describe('quoteFormattedWithHighlights: the answering sentence in bold, where bold can show', () => {
  const span = (text: string, part: string) => ({ start: text.indexOf(part), end: text.indexOf(part) + part.length });

  it('bolds a highlighted list item after its marker, and keeps the list a list', () => {
    const text = 'Steps:\n- Install the package.\n- Run npm start to launch the bot.\n- Open the dashboard.';
    const quoted = quoteFormattedWithHighlights(text, [span(text, '- Run npm start to launch the bot.')], 1000);
    expect(quoted).toBe('> Steps:\n> - Install the package.\n> - **Run npm start to launch the bot.**\n> - Open the dashboard.');
  });

  it('leaves a highlight inside a code block, a table row or inline code unbolded, as written', () => {
    const text = 'Run this:\n```sh\nnpm start\n```\n| a | b |\n| --- | --- |\n| 1 | 2 |\nThen call `bot.login()` once.';
    const quoted = quoteFormattedWithHighlights(text, [span(text, 'npm start'), span(text, '| 1 | 2 |'), span(text, 'Then call `bot.login()` once.')], 1000);
    expect(quoted).toBe(quotePassage(text, 1000));
    expect(quoted).not.toContain('**');
  });

  it('escapes the document\'s own asterisks inside the bold, and never leaves a lone "**" when the budget cuts the highlight', () => {
    const text = 'Intro line.\n- A *starred* item is the answer here.';
    expect(quoteFormattedWithHighlights(text, [span(text, 'A *starred* item is the answer here.')], 1000)).toBe('> Intro line.\n> - **A \\*starred\\* item is the answer here.**');
    const long = `Intro line.\n${'word '.repeat(60)}and the answer at the end.`;
    const cut = quoteFormattedWithHighlights(long, [span(long, long.split('\n')[1]!)], 120);
    expect(cut.length).toBeLessThanOrEqual(120);
    expect(cut.split('**').length % 2).toBe(1);
  });
});

describe('citations', () => {
  const passage = { document: 'guide/setup.md', title: 'Guide', section: 'Install', paragraphNumber: 2, score: 0.62, text: 'Run it.' };

  it('links the document to the passage when it has a URL, else names the file', () => {
    expect(citationLine({ ...passage, url: 'https://github.com/org/repo/blob/main/docs/guide/setup.md#install' })).toBe(
      '— [guide/setup.md](https://github.com/org/repo/blob/main/docs/guide/setup.md#install) · relevance 62%',
    );
    expect(citationLine(passage)).toBe('— `guide/setup.md` · relevance 62%');
  });

  it('keeps a link from breaking: brackets and parentheses are encoded, the label is inert', () => {
    expect(maskedLink('a](https://evil.example) [b_c', 'https://example.com/a_(b)[c]')).toBe(
      '[a\\](https://evil.example) \\[b\\_c](https://example.com/a%5F%28b%29%5Bc%5D)',
    );
  });

  it('puts the link in the answer field, within the field limit', () => {
    const url = `https://example.com/${'x'.repeat(200)}#install`;
    const embed = buildAnswerEmbed({ question: 'q', mode: 'keyword', answered: true, more: false, passages: [{ ...passage, text: 'Long text. '.repeat(200), url, start: 0, end: 2200, highlights: [] }] });
    const value = embed.fields![0]!.value;
    expect(value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
    expect(value).toMatch(/\n— \[guide\/setup\.md\]\(https:\/\/example\.com\/x+#install\) · relevance 62%$/);
  });
});
