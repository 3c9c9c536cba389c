import { deflateSync } from 'node:zlib';
import type { PngHeader } from '../../src/images/image-data';
import { makePng, pngChunk, pngFile } from '../../src/images/make-png';

export { makePng };

export type PngShape = Pick<PngHeader, 'width' | 'height'> & Partial<PngHeader>;

// colour type -> samples per pixel, and the Adam7 passes (first column, first row, steps), from the PNG spec
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const ADAM7 = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]];

const headerOf = (shape: PngShape): PngHeader => ({ bitDepth: 8, colourType: 2, interlaced: false, ...shape });

/**
 * The filtered scanlines (filter type 0, varying bytes) a decoder expects for an image of this shape: for an
 * interlaced one, Adam7 pass by pass. Found by walking the pixel grid, not by the formula the check uses.
 */
export function scanlines(shape: PngShape): Buffer {
  const { width, height, bitDepth, colourType, interlaced } = headerOf(shape);
  const rows: Buffer[] = [];
  for (const [x0, y0, dx, dy] of interlaced ? ADAM7 : [[0, 0, 1, 1]]) {
    for (let y = y0!; y < height; y += dy!) {
      let pixels = 0;
      for (let x = x0!; x < width; x += dx!) pixels += 1;
      if (pixels === 0) continue;
      const row = Buffer.alloc(1 + Math.ceil((pixels * CHANNELS[colourType]! * bitDepth) / 8));
      for (let i = 1; i < row.length; i++) row[i] = (rows.length * 31 + i * 7) & 0xff;
      rows.push(row);
    }
  }
  return Buffer.concat(rows);
}

/**
 * A PNG of this shape (RGB 8-bit, not interlaced unless told; palette images get a full palette) whose IDAT
 * chunks carry `data` as given, one chunk per part: sound when the parts are the deflated `scanlines(shape)`.
 */
export function pngWithData(shape: PngShape, data: Buffer | Buffer[]): Buffer {
  const header = headerOf(shape);
  const palette = header.colourType === 3 ? [pngChunk('PLTE', Buffer.alloc(3 << header.bitDepth, 0x80))] : [];
  return pngFile(header, [...palette, ...[data].flat().map((part) => pngChunk('IDAT', part))]);
}

/** A sound PNG of this shape. */
export const pngOf = (shape: PngShape): Buffer => pngWithData(shape, deflateSync(scanlines(shape)));

/**
 * A PNG whose header claims the given size but carries a 1 x 1 image's data: what a decompression bomb looks
 * like before it is inflated.
 */
export function makePngClaiming(width: number, height: number, shape: Partial<PngHeader> = {}): Buffer {
  return pngWithData({ ...shape, width, height }, deflateSync(scanlines({ ...shape, width: 1, height: 1 })));
}
