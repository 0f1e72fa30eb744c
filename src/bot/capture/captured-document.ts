/**
 * A Discord message, or a whole thread, as a document of a server's knowledge base. The document is HTML so that
 * nothing a member typed becomes structure: every character is escaped, a message's Markdown stays literal text
 * (and is escaped again when quoted), and each message is a section named after its author and date. Where it came
 * from is in its file name, so an answer can cite it with a jump link without any other record.
 */

/** One message to capture, its mentions already turned into names. */
export interface CapturedMessage {
  readonly authorName: string;
  readonly createdAt: Date;
  readonly text: string;
}

/** Where a captured document came from: a message, or a thread (located by its starter message). */
export interface CaptureOrigin {
  readonly kind: 'message' | 'thread';
  readonly guildId: string;
  /** The channel the (starter) message is in. */
  readonly channelId: string;
  /** The message; for a thread, its starter, whose id is the thread's. */
  readonly messageId: string;
}

const FILE_NAME = /^discord-(message|thread)-(\d{1,20})-(\d{1,20})\.html$/;

/** The document name of a capture: `discord-message-<channel>-<message>.html` or `discord-thread-<channel>-<thread>.html`. */
export function capturedDocumentName(origin: Omit<CaptureOrigin, 'guildId'>): string {
  return `discord-${origin.kind}-${origin.channelId}-${origin.messageId}.html`;
}

/** The origin of a server's captured document, from its name; undefined for any other document. */
export function captureOrigin(documentPath: string, guildId: string): CaptureOrigin | undefined {
  const match = FILE_NAME.exec(documentPath);
  if (!match) return undefined;
  return { kind: match[1] as CaptureOrigin['kind'], guildId, channelId: match[2]!, messageId: match[3]! };
}

/** Discord's jump link to the message (for a thread, its starter). */
export function jumpLink(origin: CaptureOrigin): string {
  return `https://discord.com/channels/${origin.guildId}/${origin.channelId}/${origin.messageId}`;
}

/** "Alice · 2026-12-02": the section of a captured message, which a quoted passage shows as its citation. */
export function messageSection(message: Pick<CapturedMessage, 'authorName' | 'createdAt'>): string {
  return `${message.authorName} · ${message.createdAt.toISOString().slice(0, 10)}`;
}

/** The document: a title, then each message as a section of paragraphs (blank lines), with its line breaks. */
export function capturedDocument(title: string, messages: readonly CapturedMessage[]): string {
  const sections = messages.map((message) => {
    const paragraphs = message.text
      .split(/\n\s*\n/)
      .map((paragraph) => paragraph.trim())
      .filter((paragraph) => paragraph !== '')
      .map((paragraph) => `<p>${paragraph.split('\n').map(escapeHtml).join('<br>')}</p>`);
    return `<h2>${escapeHtml(messageSection(message))}</h2>\n${paragraphs.join('\n')}`;
  });
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body>\n${sections.join('\n')}\n</body></html>\n`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
