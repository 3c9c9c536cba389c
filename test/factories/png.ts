import { crc32 } from 'node:zlib';
import { makePng } from '../../src/images/make-png';

export { makePng };

/** A PNG whose header claims the given size but carries almost no data: what a decompression bomb looks like. */
export function makePngClaiming(width: number, height: number): Buffer {
  const png = makePng(1, 1);
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}
