/**
 * Text from documents (file names, titles, sections, passages) is shown on terminals and in Discord. Control
 * characters in it must not reach either: `ESC[31m` in a file name recolours a terminal, `ESC]…` retitles it, a
 * carriage return overwrites what was printed, and a bidi override (U+202E) makes `txt.exe` read as `exe.txt`.
 */

// CSI sequences whole (ESC [ parameters intermediates final), so no "[31m" is left behind; then any other
// C0 control but tab and line feed, DEL, the C1 controls, and the bidi embeddings, overrides and isolates.
// Linear: the classes of a CSI sequence are disjoint and stop at the next ESC.
const CONTROL = /\x1b\[[0-?]*[ -/]*[@-~]|[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;
const LINE_BREAKS = /[\t\n\u2028\u2029]+/g;

/** `text` without control characters; line feeds and tabs are kept (passages may have several lines). */
export function printable(text: string): string {
  return text.replace(CONTROL, '');
}

/** `text` on one line without control characters: line breaks and tabs become spaces (names, titles, sections). */
export function printableLine(text: string): string {
  return printable(text).replace(LINE_BREAKS, ' ');
}
