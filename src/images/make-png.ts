import { crc32, deflateSync } from 'node:zlib';
import type { PngHeader } from './image-data';
import { SIGNATURE } from './png';

/** One PNG chunk: length, type, data, CRC of type and data. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A PNG file: signature, IHDR from `header`, the given chunks (PLTE, IDAT...), IEND. */
export function pngFile(header: PngHeader, chunks: Buffer[]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(header.width, 0);
  ihdr.writeUInt32BE(header.height, 4);
  ihdr[8] = header.bitDepth;
  ihdr[9] = header.colourType;
  ihdr[12] = header.interlaced ? 1 : 0;
  return Buffer.concat([SIGNATURE, pngChunk('IHDR', ihdr), ...chunks, pngChunk('IEND', Buffer.alloc(0))]);
}

/**
 * A real RGB PNG of the given size. `noise` fills it with pseudo-random pixels so it does not compress,
 * which is how tests and `kitbridge send-sample --image` reach a given file size.
 */
export function makePng(width: number, height: number, { noise = false, seed = 1 } = {}): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  let state = seed;
  for (let i = 0; i < raw.length; i++) {
    if (i % (width * 3 + 1) === 0) continue; // filter byte
    state = (state * 1103515245 + 12345) >>> 0;
    raw[i] = noise ? state >>> 24 : (i * 7) & 0xff;
  }
  const header = { width, height, bitDepth: 8, colourType: 2, interlaced: false };
  return pngFile(header, [pngChunk('IDAT', deflateSync(raw, { level: noise ? 0 : 6 }))]);
}
