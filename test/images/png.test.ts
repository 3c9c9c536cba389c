import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sample from '../../docs/kitbuilder/single-item-checkout.sample.json';
import { pngChunk, pngFile } from '../../src/images/make-png';
import { decodePng, type PngLimits } from '../../src/images/png';
import { makePng, makePngClaiming, pngOf, pngWithData, scanlines, type PngShape } from '../factories/png';

const limits: PngLimits = { maxBytes: 1024 * 1024, maxPixels: 40_000_000 };
const decode = (png: Buffer, within = limits) => decodePng(png.toString('base64'), within);
const reasonFor = async (png: Buffer, within = limits) => ((await decode(png, within)) as { reason?: string }).reason;

it('decodes a PNG with or without the data: prefix', async () => {
  const png = makePng(3, 2);
  for (const text of [png.toString('base64'), `data:image/png;base64,${png.toString('base64')}`]) {
    expect(await decodePng(text, limits)).toEqual({ bytes: png, width: 3, height: 2 });
  }
});

it('refuses base64 that carries whitespace, URL-safe or foreign characters, or padding inside', async () => {
  const text = makePng(3, 2).toString('base64');
  const at = (i: number, c: string) => `${text.slice(0, i)}${c}${text.slice(i + 1)}`;
  const refused = [
    `${text.slice(0, 8)}\n${text.slice(8, -1)}`,
    at(12, ' '),
    at(12, '-'),
    at(12, '_'),
    at(12, '!'),
    at(12, 'é'),
    at(12, '='),
    `${text.slice(0, -4)}====`,
  ];
  for (const bad of refused) {
    expect(bad).toHaveLength(text.length);
    expect(await decodePng(bad, limits)).toEqual({ reason: 'is not valid base64' });
  }
});

it('refuses a PNG whose header checksum is wrong', async () => {
  const png = makePng(3, 2);
  png[20] = 9;
  expect(await reasonFor(png)).toBe('has a corrupt PNG header');
});

describe('sound images of every kind are accepted', () => {
  const BIT_DEPTHS = { grey: [0, [1, 2, 4, 8, 16]], RGB: [2, [8, 16]], palette: [3, [1, 2, 4, 8]], 'grey+alpha': [4, [8, 16]], RGBA: [6, [8, 16]] } as const;
  // 1 x 1 leaves six of the seven Adam7 passes empty; odd sizes leave partial bytes and partial passes.
  const SIZES = [[1, 1], [2, 3], [13, 7], [33, 17]] as const;
  const shapes = Object.entries(BIT_DEPTHS).flatMap(([kind, [colourType, depths]]) =>
    depths.flatMap((bitDepth) =>
      [false, true].flatMap((interlaced) =>
        SIZES.map(([width, height]) => ({
          name: `${width}x${height} ${kind} ${bitDepth}-bit${interlaced ? ' interlaced' : ''}`,
          shape: { width, height, colourType, bitDepth, interlaced },
        })),
      ),
    ),
  );

  it.each(shapes)('accepts a $name PNG', async ({ shape }) => {
    expect(await decode(pngOf(shape))).toMatchObject({ width: shape.width, height: shape.height });
  });

  it('accepts image data split over several IDAT chunks, empty ones included', async () => {
    const data = deflateSync(scanlines({ width: 13, height: 7 }));
    const png = pngWithData({ width: 13, height: 7 }, [data.subarray(0, 5), Buffer.alloc(0), data.subarray(5, 9), data.subarray(9)]);
    expect(await decode(png)).toMatchObject({ width: 13, height: 7 });
  });

  const fixtures = path.join(__dirname, '../fixtures/images');
  it.each(readdirSync(fixtures).filter((name) => name.endsWith('.png')))('accepts %s, written by another encoder', async (name) => {
    expect(await decode(readFileSync(path.join(fixtures, name)))).toHaveProperty('bytes');
  });

  it('accepts the documentation sample image and the images kitbridge generates', async () => {
    expect(await decodePng(sample.SingleItemCheckout.MainImage, limits)).toHaveProperty('bytes');
    expect(await decode(makePng(820, 20, { noise: true }))).toHaveProperty('bytes');
  });
});

describe('image data that does not inflate to exactly the pixels the header implies is refused', () => {
  const shape = { width: 13, height: 7 };
  const interlaced = { ...shape, interlaced: true };
  const rows = scanlines(shape);
  const withFilter = (shape: PngShape, at: (raw: Buffer) => number) => {
    const raw = scanlines(shape);
    raw[at(raw)] = 5;
    return pngWithData(shape, deflateSync(raw));
  };
  const withIdatCrcBroken = () => {
    const png = pngOf(shape);
    png[png.length - 12 - 1] ^= 0xff; // the last byte of the chunk before IEND (IDAT): its CRC
    return png;
  };
  const withInterlaceMethod = (method: number) => {
    const png = pngOf(shape);
    png[28] = method;
    png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
    return png;
  };
  const data = deflateSync(rows);
  const corrupted = (stored: Buffer) => {
    stored[stored.length - 10] ^= 1; // a pixel byte of an uncompressed block: only Adler-32 can tell
    return stored;
  };

  it.each([
    ['not a zlib stream', pngWithData(shape, Buffer.from('these bytes are not deflated at all')), 'has image data that is not a valid zlib stream'],
    ['a zlib stream cut short', pngWithData(shape, data.subarray(0, -6)), 'has image data that is not a valid zlib stream'],
    ['a zlib stream whose checksum does not match its data', pngWithData(shape, corrupted(deflateSync(rows, { level: 0 }))), 'has image data that is not a valid zlib stream'],
    ['no image data bytes at all', pngWithData(shape, Buffer.alloc(0)), 'has image data that is not a valid zlib stream'],
    ['one byte fewer than the header implies', pngWithData(shape, deflateSync(rows.subarray(0, -1))), 'has less image data than its 13x7 pixels need 280 bytes (279)'],
    ['one byte more than the header implies', pngWithData(shape, deflateSync(Buffer.concat([rows, Buffer.alloc(1)]))), 'has more image data than its 13x7 pixels need 280 bytes'],
    ['megabytes more than the header implies', pngWithData(shape, deflateSync(Buffer.alloc(16 * 1024 * 1024))), 'has more image data than its 13x7 pixels need 280 bytes'],
    ['a byte after the end of the zlib stream', pngWithData(shape, Buffer.concat([data, Buffer.from([0])])), 'has data after the end of its zlib stream'],
    ['a second zlib stream after the first', pngWithData(shape, [data, deflateSync(Buffer.alloc(1))]), 'has data after the end of its zlib stream'],
    ['an interlaced header over as many bytes as without interlacing', pngWithData(interlaced, deflateSync(Buffer.alloc(rows.length))), 'has less image data than its 13x7 pixels need 287 bytes (280)'],
    ['an invalid filter type in the first row', withFilter(shape, () => 0), 'has image data with an invalid row filter'],
    ['an invalid filter type in the last row of the last Adam7 pass', withFilter(interlaced, (raw) => raw.length - (1 + 13 * 3)), 'has image data with an invalid row filter'],
    ['an IDAT chunk whose checksum is wrong', withIdatCrcBroken(), 'has a corrupt PNG chunk (its checksum does not match)'],
    ['IDAT chunks split by another chunk', pngFile({ ...shape, bitDepth: 8, colourType: 2, interlaced: false }, [pngChunk('IDAT', data.subarray(0, 9)), pngChunk('tEXt', Buffer.from('a\0b')), pngChunk('IDAT', data.subarray(9))]), 'is a malformed PNG (its IDAT chunks are not consecutive)'],
    ['an unknown interlace method', withInterlaceMethod(2), 'has an unknown PNG compression, filter or interlace method'],
  ])('refuses a PNG with %s', async (_, png, reason) => {
    expect(await reasonFor(png)).toBe(reason);
  });
});

describe('the number of chunks', () => {
  // A sound image behind empty ancillary chunks: IHDR and IEND count too.
  const withChunks = (total: number) => {
    const filler = Array.from({ length: total - 3 }, () => pngChunk('tIME', Buffer.alloc(0)));
    return pngFile({ width: 3, height: 2, bitDepth: 8, colourType: 2, interlaced: false }, [
      ...filler,
      pngChunk('IDAT', deflateSync(scanlines({ width: 3, height: 2 }))),
    ]);
  };

  it('accepts 20000 chunks: one IDAT per row of the tallest image, and some more', async () => {
    expect(await decode(withChunks(20_000))).toHaveProperty('bytes');
  });

  it('refuses a file of more chunks, which costs the event loop time and is no real image', async () => {
    expect(await reasonFor(withChunks(20_001))).toBe('has more than 20000 PNG chunks');
    // at the size limit, 12-byte chunks would be some 87,000
    expect(await reasonFor(withChunks(87_000))).toBe('has more than 20000 PNG chunks');
  });
});

describe('the pixel limit', () => {
  it('refuses a 10000x10000 16-bit RGBA header (800 MB of pixels) before inflating its data', async () => {
    // The data is a 1 x 1 image's: had it been inflated, the answer would be "less image data".
    const bomb = makePngClaiming(10_000, 10_000, { bitDepth: 16, colourType: 6 });
    expect(await reasonFor(bomb)).toBe('has 100000000 pixels (10000x10000); at most 40000000 are accepted');
  });

  it('is the configured number of pixels', async () => {
    const png = pngOf({ width: 20, height: 10 });
    expect(await reasonFor(png, { ...limits, maxPixels: 199 })).toBe('has 200 pixels (20x10); at most 199 are accepted');
    expect(await decode(png, { ...limits, maxPixels: 200 })).toHaveProperty('bytes');
  });

  it('comes with a limit per side, so a strip within the pixel limit is refused too', async () => {
    expect(await reasonFor(makePngClaiming(10_001, 1))).toBe('is 10001x1 pixels; at most 10000 per side is accepted');
  });
});
