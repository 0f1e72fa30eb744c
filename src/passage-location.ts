import { printableLine } from './printable-text.ts';

/** What places a passage in its document. */
export interface PassagePlace {
  readonly title: string;
  readonly section: string;
  /** The PDF page the passage starts on, when its document has pages. */
  readonly page?: number;
  readonly paragraphNumber: number;
}

/** "Title › Section › p. 12 › ¶3" (no page for formats without pages), on one printable line. */
export function passageLocation(passage: PassagePlace): string {
  const page = passage.page === undefined ? '' : `p. ${passage.page}`;
  return [passage.title, passage.section, page, `¶${passage.paragraphNumber}`].filter(Boolean).map(printableLine).join(' › ');
}
