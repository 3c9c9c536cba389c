import { createInflate } from 'node:zlib';

/** What a PNG's IHDR says about its pixels. */
export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  interlaced: boolean;
}

/** A run of scanlines of equal length: the whole image, or one Adam7 pass. Each line starts with a filter byte. */
interface Scanlines {
  rows: number;
  bytesPerRow: number;
}

// colour type -> samples per pixel (PNG spec, table 11.1)
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
// Adam7 passes: first column, first row, column step, row step (PNG spec, 8.2)
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;
const NOT_INTERLACED = [[0, 0, 1, 1]] as const;
const MAX_FILTER_TYPE = 4;
// Output is counted and dropped in pieces of this size: memory stays bounded whatever the image claims.
const CHUNK_BYTES = 256 * 1024;

/** The scanlines the header implies, in the order they are stored; passes without pixels have none. */
function scanlinesOf(header: PngHeader): Scanlines[] {
  const bitsPerPixel = CHANNELS[header.colourType]! * header.bitDepth;
  const count = (size: number, first: number, step: number) => Math.max(0, Math.ceil((size - first) / step));
  return (header.interlaced ? ADAM7 : NOT_INTERLACED)
    .map(([x, y, dx, dy]) => ({ columns: count(header.width, x, dx), rows: count(header.height, y, dy) }))
    .filter(({ columns, rows }) => columns > 0 && rows > 0)
    .map(({ columns, rows }) => ({ rows, bytesPerRow: 1 + Math.ceil((columns * bitsPerPixel) / 8) }));
}

/**
 * Checks that the image data (the IDAT chunks' contents, joined) is one zlib stream that inflates to exactly
 * the scanlines the header implies, each with a valid filter type, with nothing after the stream's end: what
 * a browser or thumbnail generator will decode. Inflating runs on libuv's thread pool, and its output is
 * counted, never kept, and stopped as soon as it exceeds the expected size. Resolves with the reason the data
 * is refused, or undefined when it is sound.
 */
export function checkImageData(header: PngHeader, data: Buffer): Promise<string | undefined> {
  const scanlines = scanlinesOf(header);
  const expected = scanlines.reduce((sum, { rows, bytesPerRow }) => sum + rows * bytesPerRow, 0);
  const size = `${header.width}x${header.height} pixels need ${expected} bytes`;
  return new Promise((resolve) => {
    const inflate = createInflate({ chunkSize: CHUNK_BYTES });
    const finish = (reason?: string) => {
      inflate.destroy();
      resolve(reason);
    };
    let inflated = 0;
    // where the next scanline's filter byte is, and which run of scanlines it belongs to
    let nextRow = 0;
    let run = 0;
    let rowsLeft = scanlines[0]?.rows ?? 0;
    inflate.on('data', (chunk: Buffer) => {
      const end = inflated + chunk.length;
      if (end > expected) return finish(`has more image data than its ${size}`);
      while (nextRow < end) {
        if (chunk[nextRow - inflated]! > MAX_FILTER_TYPE) return finish('has image data with an invalid row filter');
        nextRow += scanlines[run]!.bytesPerRow;
        if (--rowsLeft === 0 && run + 1 < scanlines.length) rowsLeft = scanlines[++run]!.rows;
      }
      inflated = end;
    });
    inflate.on('error', () => finish('has image data that is not a valid zlib stream'));
    inflate.on('end', () => {
      // bytesWritten counts the input the stream consumed: anything left over came after its end.
      if (inflate.bytesWritten < data.length) finish('has data after the end of its zlib stream');
      else if (inflated < expected) finish(`has less image data than its ${size} (${inflated})`);
      else finish();
    });
    inflate.end(data);
  });
}
