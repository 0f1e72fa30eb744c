import type http from 'node:http';

/**
 * Reads a request body as discord.js sends it: JSON, or multipart/form-data when files are attached (the JSON
 * is then the `payload_json` part, and each `files[n]` part is noted by name and size).
 */
export async function parseBody(request: http.IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  if (raw.length === 0) return undefined;
  const type = request.headers['content-type'] ?? '';
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(type);
  if (type.startsWith('multipart/form-data') && boundary) return parseMultipart(raw, boundary[1] ?? boundary[2]!);
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function parseMultipart(raw: Buffer, boundary: string): any {
  const body: Record<string, unknown> = {};
  const files: { name: string; filename: string; size: number }[] = [];
  for (const part of raw.toString('latin1').split(`--${boundary}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const headers = part.slice(0, split);
    const content = part.slice(split + 4).replace(/\r\n$/, '');
    const name = /name="([^"]+)"/.exec(headers)?.[1];
    const filename = /filename="([^"]+)"/.exec(headers)?.[1];
    if (name === 'payload_json') Object.assign(body, JSON.parse(Buffer.from(content, 'latin1').toString('utf8')));
    else if (name && filename) files.push({ name, filename, size: Buffer.byteLength(content, 'latin1') });
  }
  return { ...body, files };
}
