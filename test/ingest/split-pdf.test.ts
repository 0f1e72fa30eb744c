import { describe, expect, it } from 'vitest';
import { splitAnyDocument } from '../../src/ingest/split-document.ts';
import { UnreadableDocument } from '../../src/ingest/unreadable-document.ts';
import { makeImageOnlyPdf, makePdf } from '../../src/tools/bench/binary-documents.ts';
import { fakeTokenCounter } from './fake-token-counter.ts';

const counter = fakeTokenCounter(200);
const split = async (bytes: Uint8Array) => splitAnyDocument({ path: 'guides/handbook.pdf', content: '', bytes }, counter);

/** A three-page handbook with a running header and footer, headings, an indented paragraph and a hyphenated word. */
const handbook = () =>
  makePdf({
    header: 'ACME Handbook 2026',
    footer: (page) => `Page ${page} of 3`,
    pages: [
      [
        { heading: 'Getting started' },
        { lines: ['Install the client from the downloads page and run', 'the setup wizard, which asks for your account name.'] },
        { lines: ['To reset your password open the settings pan-', 'el and choose the security tab, then click reset.'], indent: true },
      ],
      [
        { lines: ['Backups run every night at two in the morning and are', 'kept for thirty days before they are deleted for good.'] },
        { heading: 'Billing' },
        { lines: ['Invoices are sent on the first day of every month to the', 'billing address on file for your organisation.'] },
      ],
      [{ lines: ['Refunds are processed within ten working days of the request.'] }],
    ],
  });

describe('PDF documents', () => {
  it('become paragraphs from the layout, each with its page and the heading above it as its section', async () => {
    const paragraphs = await split(await handbook());
    expect(paragraphs.map(({ page, section, text }) => ({ page, section, text }))).toEqual([
      { page: 1, section: 'Getting started', text: 'Install the client from the downloads page and run the setup wizard, which asks for your account name.' },
      { page: 1, section: 'Getting started', text: 'To reset your password open the settings panel and choose the security tab, then click reset.' },
      { page: 2, section: 'Getting started', text: 'Backups run every night at two in the morning and are kept for thirty days before they are deleted for good.' },
      { page: 2, section: 'Billing', text: 'Invoices are sent on the first day of every month to the billing address on file for your organisation.' },
      { page: 3, section: 'Billing', text: 'Refunds are processed within ten working days of the request.' },
    ]);
    expect(paragraphs[0]!.title).toBe('Getting started');
  });

  it('drops the header and footer repeated on every page, and joins a word hyphenated at a line end', async () => {
    const text = (await split(await handbook())).map((paragraph) => paragraph.text).join('\n');
    expect(text).not.toMatch(/ACME Handbook|Page \d of 3/);
    expect(text).toContain('settings panel and');
    expect(text).not.toContain('pan-');
  });

  it('keeps a line that only looks like a header when it is on one page, and a hyphen that joins two words', async () => {
    const pdf = await makePdf({
      pages: [
        [{ lines: ['ACME Handbook 2026'] }, { lines: ['Releases made before the pre-', '2020 cut-off are supported by the legacy team until the end of the year.'] }],
        [{ lines: ['The second page has its own opening line, which appears only here and nowhere else.'] }],
      ],
    });
    const text = (await split(pdf)).map((paragraph) => paragraph.text).join('\n');
    expect(text).toContain('ACME Handbook 2026');
    expect(text).toContain('before the pre-2020 cut-off');
  });

  it('a PDF without a text layer (a scan) is refused with a clear "no text layer" reason', async () => {
    const error = await split(await makeImageOnlyPdf(2)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnreadableDocument);
    expect((error as Error).message).toBe('PDF has no text layer: its 2 pages hold no text (a scanned document?); run OCR on it to index it');
  });

  it('a corrupt PDF is refused with a reason, not a crash', async () => {
    const garbage = await split(new TextEncoder().encode('%PDF-1.7\nthis is not really a PDF')).catch((caught: unknown) => caught);
    expect(garbage).toBeInstanceOf(UnreadableDocument);
    expect((garbage as Error).message).toMatch(/^not a readable PDF \(.+\)$/);
  });
});
