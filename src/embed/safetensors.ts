import fs from 'node:fs';
import { createError } from '../errors.ts';

/** One tensor's entry in a safetensors header. */
export interface SafetensorsEntry {
  readonly dtype: string;
  readonly shape: readonly number[];
  /** Byte range within the data section (after the header). */
  readonly data_offsets: readonly [number, number];
}

/** A safetensors file read into memory: header entries and the tensors as fp32. */
export interface SafetensorsFile {
  readonly entries: ReadonlyMap<string, SafetensorsEntry>;
  /** The tensor as fp32 (F16 and BF16 are widened); throws MODEL_IMPORT_FAILED if it is absent or of another type. */
  tensor(name: string): Float32Array;
}

const BYTES_PER_ELEMENT: Record<string, number> = { F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I8: 1, U8: 1, BOOL: 1 };

/**
 * Reads a safetensors file: an 8-byte little-endian header length, a JSON header naming each tensor's dtype,
 * shape and byte range, then the raw little-endian data. Every range is checked against the file's size first, so
 * a truncated download fails here with one line rather than as garbage weights later.
 */
export function readSafetensors(file: string): SafetensorsFile {
  const bytes = fs.readFileSync(file);
  const fail = (why: string) => createError('MODEL_IMPORT_FAILED', `${file} is not a complete safetensors file: ${why}`);
  if (bytes.length < 8) throw fail(`it has ${bytes.length} bytes`);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  if (headerLength > bytes.length - 8) throw fail(`the header says ${headerLength} bytes but the file has ${bytes.length} (truncated?)`);
  let header: Record<string, SafetensorsEntry | Record<string, string>>;
  try {
    header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
  } catch {
    throw fail('its header is not JSON');
  }
  const dataStart = 8 + headerLength;
  const entries = new Map<string, SafetensorsEntry>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const { dtype, shape, data_offsets: [begin, end] } = entry as SafetensorsEntry;
    const count = shape.reduce((a, b) => a * b, 1);
    if (end - begin !== count * (BYTES_PER_ELEMENT[dtype] ?? NaN)) throw fail(`tensor ${name} has the wrong size for ${dtype} [${shape.join(', ')}]`);
    if (dataStart + end > bytes.length) throw fail(`tensor ${name} ends at byte ${dataStart + end} but the file has ${bytes.length} (truncated?)`);
    entries.set(name, entry as SafetensorsEntry);
  }
  return {
    entries,
    tensor(name) {
      const entry = entries.get(name);
      if (!entry) throw createError('MODEL_IMPORT_FAILED', `${file} has no tensor "${name}"`);
      return toFloat32(bytes, dataStart + entry.data_offsets[0], dataStart + entry.data_offsets[1], entry.dtype, name);
    },
  };
}

function toFloat32(bytes: Buffer, begin: number, end: number, dtype: string, name: string): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset + begin, end - begin);
  if (dtype === 'F32') {
    const out = new Float32Array((end - begin) / 4);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
    return out;
  }
  if (dtype === 'BF16') {
    const out = new Float32Array((end - begin) / 2);
    const word = new DataView(new ArrayBuffer(4));
    for (let i = 0; i < out.length; i++) {
      word.setUint32(0, view.getUint16(i * 2, true) << 16);
      out[i] = word.getFloat32(0);
    }
    return out;
  }
  if (dtype === 'F16') {
    const out = new Float32Array((end - begin) / 2);
    for (let i = 0; i < out.length; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
    return out;
  }
  throw createError('MODEL_IMPORT_FAILED', `tensor "${name}" is ${dtype}; only F32, F16 and BF16 weights can be imported`);
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
