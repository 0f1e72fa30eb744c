import { crc32, deflateRawSync } from 'node:zlib';
import { Document, Footer, Header, HeadingLevel, Packer, Paragraph } from 'docx';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/** What one PDF page holds, top to bottom: headings and paragraphs (each given as its printed lines). */
export type PdfPageContent = readonly ({ readonly heading: string } | { readonly lines: readonly string[]; readonly indent?: boolean })[];

export interface PdfSpec {
  readonly pages: readonly PdfPageContent[];
  /** Printed at the top of every page. */
  readonly header?: string;
  /** Printed at the bottom of every page, given the page number. */
  readonly footer?: (page: number) => string;
}

const BODY_SIZE = 11;
const LINE_STEP = 14;
const PARAGRAPH_GAP = 10;
const HEADING_SIZE = 18;
const MARGIN = 56;

/**
 * A PDF with a real text layer, laid out as word processors do: 11 pt lines 14 pt apart, a wider gap between
 * paragraphs, 18 pt headings, an optional running header and footer. For the tests and the ingestion benchmark.
 */
export async function makePdf(spec: PdfSpec): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  spec.pages.forEach((content, index) => {
    const page = pdf.addPage([595, 842]);
    if (spec.header) page.drawText(spec.header, { x: MARGIN, y: 800, size: 9, font });
    let y = 760;
    for (const item of content) {
      if ('heading' in item) {
        page.drawText(item.heading, { x: MARGIN, y, size: HEADING_SIZE, font });
        y -= HEADING_SIZE + PARAGRAPH_GAP;
        continue;
      }
      item.lines.forEach((line, i) => {
        page.drawText(line, { x: MARGIN + (item.indent && i === 0 ? 18 : 0), y, size: BODY_SIZE, font });
        y -= LINE_STEP;
      });
      y -= PARAGRAPH_GAP;
    }
    if (spec.footer) page.drawText(spec.footer(index + 1), { x: 280, y: 36, size: 9, font });
  });
  return pdf.save();
}

/** A PDF whose pages hold only a drawn shape, no text: what a scan without OCR looks like to a reader. */
export async function makeImageOnlyPdf(pages: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  for (let i = 0; i < pages; i++) pdf.addPage([595, 842]).drawRectangle({ x: 50, y: 50, width: 400, height: 600, borderWidth: 2 });
  return pdf.save();
}

export interface DocxSpec {
  readonly body: readonly ({ readonly heading: string; readonly level?: 1 | 2 } | { readonly text: string })[];
  readonly header?: string;
  readonly footer?: string;
}

/** A Word (.docx) file with Heading 1/2 styled headings, paragraphs and an optional page header and footer. */
export async function makeDocx(spec: DocxSpec): Promise<Uint8Array> {
  const document = new Document({
    sections: [
      {
        ...(spec.header && { headers: { default: new Header({ children: [new Paragraph(spec.header)] }) } }),
        ...(spec.footer && { footers: { default: new Footer({ children: [new Paragraph(spec.footer)] }) } }),
        children: spec.body.map((item) =>
          'heading' in item
            ? new Paragraph({ text: item.heading, heading: item.level === 2 ? HeadingLevel.HEADING_2 : HeadingLevel.HEADING_1 })
            : new Paragraph(item.text),
        ),
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}

/** A small zip (a few hundred KiB) named like a Word file whose `word/document.xml` inflates to `inflatedBytes`. */
export function makeZipBomb(inflatedBytes: number): Uint8Array {
  const name = Buffer.from('word/document.xml');
  const content = Buffer.alloc(inflatedBytes, 0x20);
  const data = deflateRawSync(content, { level: 9 });
  const crc = crc32(content);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(inflatedBytes, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(inflatedBytes, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE(0, 42);
  const centralOffset = local.length + name.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return new Uint8Array(Buffer.concat([local, name, data, central, name, end]));
}
