import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { deflateSync } from 'node:zlib';
import { makePng, pngChunk, pngFile } from '../src/images/make-png';
import { decodePng } from '../src/images/png';

/**
 * `node dist/bench/image-check.js`: what checking one MainImage costs, one image at a time in this process:
 * CPU (event loop and thread pool together), the event loop's share, and wall time. Two kinds of 2 MB PNG: the
 * webhook bench's (820 x 820 noisy RGB, stored uncompressed: inflating is a copy) and one shaped like a kit
 * render (2000 x 2000 RGBA, flat areas and gradients, deflated ~8:1: 16 MB to inflate).
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 100);

/**
 * CPU ms of the main thread (the event loop) alone, from /proc (Linux; ticks of 1/100 s, hence many rounds).
 * Not the event loop's utilisation: on a shared machine that counts the time it waits for a core too.
 */
function mainThreadCpuMs(): number {
  const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function renderLike(width: number, height: number): Buffer {
  const stride = 1 + width * 4;
  const raw = Buffer.alloc(stride * height);
  let state = 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = y * stride + 1 + x * 4;
      state = (state * 1103515245 + 12345) >>> 0;
      // a shirt-shaped band of shaded, slightly noisy colour on a flat background
      const inBand = Math.abs(x - width / 2) < width / 3 && y > height / 6;
      const grain = inBand && y % 3 === 0 ? (state >>> 29) : 0;
      raw[at] = inBand ? (x >> 3) + grain : 240;
      raw[at + 1] = inBand ? (y >> 3) + grain : 240;
      raw[at + 2] = inBand ? 128 + grain : 240;
      raw[at + 3] = 255;
    }
  }
  const header = { width, height, bitDepth: 8, colourType: 6, interlaced: false };
  return pngFile(header, [pngChunk('IDAT', deflateSync(raw, { level: 6 }))]);
}

async function measure(name: string, png: Buffer) {
  const text = png.toString('base64');
  const limits = { maxBytes: 8 * 1024 * 1024, maxPixels: 40_000_000 };
  for (let i = 0; i < 3; i++) await decodePng(text, limits); // warm-up
  const cpu = process.cpuUsage();
  const loop = mainThreadCpuMs();
  const started = performance.now();
  for (let i = 0; i < ROUNDS; i++) {
    if ('reason' in (await decodePng(text, limits))) throw new Error(`${name} refused`);
  }
  const wall = (performance.now() - started) / ROUNDS;
  const used = process.cpuUsage(cpu);
  const onLoop = (mainThreadCpuMs() - loop) / ROUNDS;
  const perImage = (n: number) => n.toFixed(2);
  process.stdout.write(
    `| ${name} | ${(png.length / 1e6).toFixed(2)} MB | ${perImage((used.user + used.system) / 1000 / ROUNDS)} | ${perImage(onLoop)} | ${perImage(wall)} |\n`,
  );
}

async function main() {
  process.stdout.write('| image | file | CPU ms | event loop ms | wall ms |\n|---|---:|---:|---:|---:|\n');
  await measure('820 x 820 RGB, noise, stored (the webhook bench)', makePng(820, 820, { noise: true }));
  await measure('2000 x 2000 RGBA, render-like, deflated', renderLike(2000, 2000));
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
