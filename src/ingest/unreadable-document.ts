/**
 * Thrown by a binary-format reader (PDF, Word) for a file it cannot index, with the one-line reason the admin sees
 * ("PDF has no text layer…"). Any other error from a reader is a parser failure and is reported as such.
 */
export class UnreadableDocument extends Error {
  override readonly name = 'UnreadableDocument';
}
