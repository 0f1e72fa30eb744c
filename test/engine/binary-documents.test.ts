import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors.ts';
import { makeDocx, makeImageOnlyPdf, makePdf, makeZipBomb } from '../../src/tools/bench/binary-documents.ts';
import { makeDataDir, openEngine, tinyEngineConfig } from '../support/engine-fixture.ts';

const FERRY = '# Ferry\n\nThe ferry to the island leaves the harbour every hour, from six in the morning until ten at night.';

let manual: Uint8Array;
let policy: Uint8Array;

beforeAll(async () => {
  manual = await makePdf({
    header: 'Lighthouse manual',
    footer: (page) => `${page}`,
    pages: [
      [{ heading: 'The lamp' }, { lines: ['The lamp is lit half an hour before sunset and put out at', 'sunrise by the keeper on duty.'] }],
      [{ heading: 'Fog' }, { lines: ['In fog the horn sounds twice every minute until the visi-', 'bility is back above two nautical miles.'] }],
    ],
  });
  policy = await makeDocx({ header: 'Harbour office', body: [{ heading: 'Moorings' }, { text: 'Visiting boats may moor at the north pontoon for up to three nights.' }] });
});

describe('PDF and Word documents in the documents folder and as uploads', () => {
  it('are indexed from the folder next to text documents, the PDF passages with their page; bad files are skipped with a reason', async () => {
    const dataDir = makeDataDir({
      'ferry.md': FERRY,
      'manual.pdf': manual,
      'moorings.docx': policy,
      'scan.pdf': await makeImageOnlyPdf(1),
      'broken.pdf': new TextEncoder().encode('%PDF-1.4\n1 0 obj garbage'),
      'bomb.docx': makeZipBomb(100 * 1024 * 1024),
    });
    const engine = await openEngine(tinyEngineConfig(dataDir, { SEARCH_MODE: 'keyword' }));
    const report = await engine.reindex();
    const docs = path.join(dataDir, 'docs');
    expect(report.skipped).toEqual([
      { path: path.join(docs, 'bomb.docx'), reason: 'its contents inflate to more than 64.0 MB (a zip bomb?); not indexed' },
      { path: path.join(docs, 'broken.pdf'), reason: expect.stringMatching(/^not a readable PDF \(.+\)$/) },
      { path: path.join(docs, 'scan.pdf'), reason: 'PDF has no text layer: its page holds no text (a scanned document?); run OCR on it to index it' },
    ]);
    expect(report.added).toBe(3);

    const fog = (await engine.ask('How often does the horn sound in fog?')).passages[0]!;
    expect(fog).toMatchObject({ document: 'manual.pdf', title: 'The lamp', section: 'Fog', page: 2 });
    expect(fog.text).toBe('In fog the horn sounds twice every minute until the visibility is back above two nautical miles.');
    const moor = (await engine.ask('How long may visiting boats moor?')).passages[0]!;
    expect(moor).toMatchObject({ document: 'moorings.docx', section: 'Moorings' });
    expect(moor.page).toBeUndefined();
    expect((await engine.ask('When does the ferry leave the harbour?')).passages[0]!.document).toBe('ferry.md');
  });

  it('an uploaded PDF is indexed for its server; a corrupt one is refused with the reason and not kept', async () => {
    const dataDir = makeDataDir({ 'ferry.md': FERRY });
    const engine = await openEngine(tinyEngineConfig(dataDir, { SEARCH_MODE: 'keyword' }));
    await engine.reindex();
    const added = await engine.addDocument('1001', 'Lighthouse Manual.pdf', manual);
    expect(added.path).toBe('Lighthouse-Manual.pdf');
    expect((await engine.ask('When is the lamp lit?', { server: '1001' })).passages[0]).toMatchObject({ document: 'Lighthouse-Manual.pdf', page: 1 });

    const error = await engine.addDocument('1001', 'bomb.docx', makeZipBomb(100 * 1024 * 1024)).catch((caught: unknown) => caught);
    expect(isAppError(error, 'DOCUMENT_REJECTED')).toBe(true);
    expect((error as Error).message).toBe('"bomb.docx" was not added: its contents inflate to more than 64.0 MB (a zip bomb?); not indexed');
    expect(engine.listDocuments('1001').map((document) => document.path).sort()).toEqual(['Lighthouse-Manual.pdf', 'ferry.md']);
  });
});
