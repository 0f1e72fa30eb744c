import { describe, expect, it } from 'vitest';
import { splitAnyDocument } from '../../src/ingest/split-document.ts';
import { UnreadableDocument } from '../../src/ingest/unreadable-document.ts';
import { makeDocx, makeZipBomb } from '../../src/tools/bench/binary-documents.ts';
import { fakeTokenCounter } from './fake-token-counter.ts';

const counter = fakeTokenCounter(200);
const split = async (bytes: Uint8Array) => splitAnyDocument({ path: 'policies/security.docx', content: '', bytes }, counter);

describe('Word (.docx) documents', () => {
  it('become paragraphs with their headings as sections; page headers and footers are not indexed', async () => {
    const docx = await makeDocx({
      header: 'ACME confidential header',
      footer: 'Printed copies are not controlled',
      body: [
        { heading: 'Security policy' },
        { text: 'Two-factor authentication is required for every administrator account, without exception.' },
        { heading: 'Sessions', level: 2 },
        { text: 'Sessions expire after twelve hours of inactivity on any device, phones included.' },
      ],
    });
    const paragraphs = await split(docx);
    expect(paragraphs.map(({ title, section, text }) => ({ title, section, text }))).toEqual([
      { title: 'Security policy', section: 'Security policy', text: 'Two-factor authentication is required for every administrator account, without exception.' },
      { title: 'Security policy', section: 'Sessions', text: 'Sessions expire after twelve hours of inactivity on any device, phones included.' },
    ]);
    expect(paragraphs.every((paragraph) => paragraph.page === undefined)).toBe(true);
  });

  it('a zip bomb named .docx (a small file inflating to 100 MiB) is refused before it is inflated in memory', async () => {
    const bomb = makeZipBomb(100 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const error = await split(bomb).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnreadableDocument);
    expect((error as Error).message).toBe('its contents inflate to more than 64.0 MB (a zip bomb?); not indexed');
  });

  it('a file that is not a zip, or a zip without a Word document in it, is refused with a reason', async () => {
    const notZip = await split(new TextEncoder().encode('just some text renamed to .docx')).catch((caught: unknown) => caught);
    expect(notZip).toBeInstanceOf(UnreadableDocument);
    expect((notZip as Error).message).toBe('not a readable Word (.docx) file (no zip table of contents)');
    const emptyZip = await split(makeZipBomb(10)).catch((caught: unknown) => caught);
    expect(emptyZip).toBeInstanceOf(Error);
  });
});
