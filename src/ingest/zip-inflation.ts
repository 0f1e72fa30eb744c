import { inflateRawSync } from 'node:zlib';
import { formatBytes } from '../format-bytes.ts';
import { UnreadableDocument } from './unreadable-document.ts';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

/**
 * Inflates, and throws away, every entry of a zip archive whose name `read` accepts, stopping as soon as they
 * would add up to more than `limitBytes`: a zip bomb (a small file whose entries inflate to gigabytes) is refused
 * with an {@link UnreadableDocument} before a parser holds it in memory. The sizes an archive declares are not
 * trusted: zlib itself stops at the limit.
 */
export function checkZipInflation(bytes: Uint8Array, limitBytes: number, read: (name: string) => boolean): void {
  const zip = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEndOfCentralDirectory(zip);
  const entries = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  let left = limitBytes;
  for (let i = 0; i < entries; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL_ENTRY) throw notAZip('its table of contents is damaged');
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (!read(name)) continue;
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL_HEADER) throw notAZip(`entry ${name} is damaged`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + compressed);
    let size: number;
    if (method === STORED) size = data.length;
    else if (method === DEFLATED) {
      try {
        // One byte over what is left: reaching it is what tells "too large" from "exactly the limit".
        size = inflateRawSync(data, { maxOutputLength: left + 1 }).length;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') size = left + 1;
        else throw notAZip(`entry ${name} does not inflate`);
      }
    } else throw notAZip(`entry ${name} uses compression method ${method}`);
    left -= size;
    if (left < 0) {
      throw new UnreadableDocument(`its contents inflate to more than ${formatBytes(limitBytes)} (a zip bomb?); not indexed`);
    }
  }
}

function findEndOfCentralDirectory(zip: Buffer): number {
  // The record is 22 bytes, followed by a comment of at most 65,535.
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  }
  throw notAZip('no zip table of contents');
}

function notAZip(detail: string): UnreadableDocument {
  return new UnreadableDocument(`not a readable Word (.docx) file (${detail})`);
}
