import type http from 'node:http';
import type { RecordedFile } from '../types.ts';

/** A request body as discord.js sends it: the JSON payload, and the files of a multipart request. */
export interface ParsedBody {
  readonly json: any;
  readonly files: RecordedFile[];
}

/**
 * Reads a request body: JSON, or multipart/form-data when files are attached. @discordjs/rest then puts the JSON in
 * a `payload_json` part and each file in a `files[n]` part.
 *
 * @see https://discord.com/developers/docs/reference#uploading-files
 */
export async function readBody(request: http.IncomingMessage): Promise<ParsedBody> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = request.headers['content-type'] ?? '';
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(type);
  if (type.startsWith('multipart/form-data') && boundary) return parseMultipart(raw, boundary[1] ?? boundary[2]!);
  if (raw.length === 0) return { json: undefined, files: [] };
  const text = raw.toString('utf8');
  try {
    return { json: JSON.parse(text), files: [] };
  } catch {
    return { json: text, files: [] };
  }
}

function parseMultipart(raw: Buffer, boundary: string): ParsedBody {
  let json: any;
  const files: RecordedFile[] = [];
  for (const part of splitParts(raw, boundary)) {
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) continue;
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const content = part.subarray(headerEnd + 4);
    const field = /name="([^"]*)"/i.exec(headers)?.[1];
    const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
    if (field === 'payload_json') json = JSON.parse(content.toString('utf8'));
    else if (field !== undefined && filename !== undefined) {
      const contentType = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1] ?? 'application/octet-stream';
      files.push({ field, filename, contentType, data: Buffer.from(content) });
    }
  }
  return { json, files };
}

/** The parts between `--boundary` delimiters, without the CRLF that precedes each delimiter. */
function splitParts(raw: Buffer, boundary: string): Buffer[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Buffer[] = [];
  let start = raw.indexOf(delimiter);
  while (start >= 0) {
    const contentStart = start + delimiter.length + 2; // skip the CRLF after the delimiter ("--" on the last one)
    const next = raw.indexOf(delimiter, contentStart);
    if (next < 0) break;
    parts.push(raw.subarray(contentStart, next - 2));
    start = next;
  }
  return parts;
}
