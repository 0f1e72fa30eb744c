import { createHash } from 'node:crypto';
import type http from 'node:http';
import path from 'node:path';
import type { APIAttachment } from 'discord.js';
import type { SnowflakeGenerator } from './state/snowflake.ts';
import type { AttachmentFailure, FakeAttachment } from './types.ts';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.pdf': 'application/pdf',
  '.png': 'image/png',
};

interface StoredFile {
  readonly attachment: FakeAttachment;
  readonly body: Buffer;
  readonly fail: AttachmentFailure;
}

/** Where the fake's CDN serves files: `/attachments/{channel}/{attachment}/{filename}`, like cdn.discordapp.com. */
export const CDN_PATH = /^(?:\/proxy)?\/attachments\/\d+\/(\d+)\/[^/]+$/;

/**
 * The fake's CDN: files a test offers as attachments, and files the bot uploads. URLs carry the signature query
 * (`ex`, `is`, `hm`) that real attachment URLs have, so code that keeps the URL whole keeps working.
 *
 * @see https://discord.com/developers/docs/reference#signed-attachment-cdn-urls
 */
export class FakeCdn {
  private readonly files = new Map<string, StoredFile>();
  private readonly uploadsChannelId: string;

  constructor(
    private readonly origin: () => string,
    private readonly ids: SnowflakeGenerator,
  ) {
    this.uploadsChannelId = ids.next();
  }

  add(filename: string, body: Buffer | string, options: { fail?: AttachmentFailure; contentType?: string; channelId?: string } = {}): FakeAttachment {
    const id = this.ids.next();
    const bytes = Buffer.from(body);
    const url = this.urlFor(options.channelId ?? this.uploadsChannelId, id, filename);
    const contentType = options.contentType ?? CONTENT_TYPES[path.extname(filename).toLowerCase()] ?? 'application/octet-stream';
    const attachment: FakeAttachment = { id, filename, size: bytes.length, url, proxy_url: url.replace('/attachments/', '/proxy/attachments/'), content_type: contentType };
    this.files.set(id, { attachment, body: bytes, fail: options.fail ?? false });
    return attachment;
  }

  attachment(attachmentId: string): APIAttachment | undefined {
    const file = this.files.get(attachmentId);
    return file && { ...file.attachment };
  }

  /** Answers a CDN request; returns the status sent, or `'reset'` when the connection was destroyed instead. */
  serve(attachmentId: string, request: http.IncomingMessage, response: http.ServerResponse): number | 'reset' {
    const file = this.files.get(attachmentId);
    if (file?.fail === 'reset') {
      request.socket.destroy();
      return 'reset';
    }
    const failure = file?.fail === true ? 500 : typeof file?.fail === 'number' ? file.fail : file ? undefined : 404;
    if (failure !== undefined) {
      response.writeHead(failure, { 'content-type': 'text/plain' }).end(failure === 404 ? 'This content is no longer available.' : 'CDN error');
      return failure;
    }
    response.writeHead(200, { 'content-type': file!.attachment.content_type, 'content-length': file!.body.length });
    response.end(request.method === 'HEAD' ? undefined : file!.body);
    return 200;
  }

  private urlFor(channelId: string, attachmentId: string, filename: string): string {
    const issued = Math.floor(Date.now() / 1000);
    const signature = createHash('sha256').update(`${attachmentId}:${issued}`).digest('hex');
    const query = new URLSearchParams({ ex: (issued + 86_400).toString(16), is: issued.toString(16), hm: signature });
    return `${this.origin()}/attachments/${channelId}/${attachmentId}/${encodeURIComponent(filename)}?${query}`;
  }
}
