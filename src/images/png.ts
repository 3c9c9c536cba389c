import { crc32 } from 'node:zlib';

export const MAX_IMAGE_SIDE = 10_000;
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const DATA_URL_PREFIX = /^data:image\/png;base64,/i;
// colour type -> allowed bit depths (PNG spec, table 11.1)
const BIT_DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

export type PngProblem = { reason: string };
export interface Png {
  bytes: Buffer;
  width: number;
  height: number;
}

/**
 * Decodes Kit Builder's MainImage: base64 of a PNG, with or without a data: URL prefix.
 * Strict: anything that is not canonical base64 of a structurally sound PNG within the limits is refused,
 * so garbage never reaches the disk.
 */
export function decodePng(value: string, maxBytes: number): Png | PngProblem {
  const base64 = value.replace(DATA_URL_PREFIX, '');
  if (base64.length % 4 !== 0) return { reason: 'is not valid base64' };
  if ((base64.length / 4) * 3 > maxBytes + 2) return { reason: `is larger than ${maxBytes} bytes` };
  const bytes = Buffer.from(base64, 'base64');
  // Node's decoder skips characters outside the alphabet, accepts the URL-safe one and ignores non-zero padding
  // bits; re-encoding gives back the text only if it was canonical base64. (A regular expression over the
  // same text took 14 ms for a 2 MB image; this takes 2.)
  if (bytes.toString('base64') !== base64) return { reason: 'is not valid base64' };
  if (bytes.length > maxBytes) return { reason: `is larger than ${maxBytes} bytes` };
  return checkPng(bytes);
}

function checkPng(bytes: Buffer): Png | PngProblem {
  if (bytes.length < 8 + 25 + 12 || !bytes.subarray(0, 8).equals(SIGNATURE)) {
    return { reason: 'is not a PNG image' };
  }
  if (bytes.readUInt32BE(8) !== 13 || bytes.toString('latin1', 12, 16) !== 'IHDR') {
    return { reason: 'is not a PNG image (no IHDR header)' };
  }
  if (crc32(bytes.subarray(12, 29)) !== bytes.readUInt32BE(29)) return { reason: 'has a corrupt PNG header' };
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  const bitDepth = bytes[24]!;
  const colourType = bytes[25]!;
  if (width === 0 || height === 0) return { reason: 'has zero width or height' };
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
    return { reason: `is ${width}x${height} pixels; at most ${MAX_IMAGE_SIDE} per side is accepted` };
  }
  if (!BIT_DEPTHS[colourType]?.includes(bitDepth)) return { reason: 'has an invalid PNG colour type or bit depth' };
  return walkChunks(bytes) ?? { bytes, width, height };
}

/** Every chunk must fit in the file, there must be image data, and the file must end with IEND. */
function walkChunks(bytes: Buffer): PngProblem | undefined {
  let offset = 8;
  let sawData = false;
  while (offset + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    const end = offset + 12 + length;
    if (end > bytes.length) return { reason: 'is a truncated PNG' };
    if (type === 'IDAT') sawData = true;
    if (type === 'IEND') return end === bytes.length && sawData ? undefined : { reason: 'is a malformed PNG' };
    offset = end;
  }
  return { reason: 'is a truncated PNG' };
}
