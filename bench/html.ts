import { sanitizeKitHtml } from '../src/webhook/html';
import { HOSTILE_HTML } from '../test/factories/hostile-html';

/**
 * `node dist/bench/html.js [sizes in KiB…]`: how sanitizing one Html grows with its length, for every hostile
 * shape. Each size is 4 × the one before, so a cost that grows with the length shows ×4 from one column to the
 * next and a quadratic one ×16. Runs in this process, one shape after another; a shape stops growing once one
 * size took longer than STOP_MS (its larger sizes print as "-").
 */
const sizes = (process.argv.length > 2 ? process.argv.slice(2).map(Number) : [16, 64, 256, 1024]).map((kib) => kib * 1024);
const STOP_MS = 3_000;

function millis(html: string): number {
  const start = process.hrtime.bigint();
  try {
    sanitizeKitHtml(html);
  } catch {
    // refused: that is an answer too, and its cost is what is measured
  }
  return Number(process.hrtime.bigint() - start) / 1e6;
}

// warm the JIT on a little of everything first
for (const make of Object.values(HOSTILE_HTML)) millis(make(4096));

const header = `| shape | ${sizes.map((size) => `${size / 1024} KiB ms`).join(' | ')} | growth per ×4 |`;
const lines = [header, `|---|${sizes.map(() => '---:|').join('')}---:|`];
for (const [shape, make] of Object.entries(HOSTILE_HTML)) {
  const times: number[] = [];
  for (const size of sizes) {
    if (times.length && times[times.length - 1]! > STOP_MS) break;
    // the best of three (the machine is shared and noisy), unless one already takes long
    const html = make(size);
    const first = millis(html);
    times.push(first > 500 ? first : Math.min(first, millis(html), millis(html)));
  }
  const growth = times.length > 1 ? (times[times.length - 1]! / times[times.length - 2]!).toFixed(1) : '';
  const cells = sizes.map((_, i) => (times[i] === undefined ? '-' : times[i]!.toFixed(1)));
  lines.push(`| ${shape} | ${cells.join(' | ')} | ${growth} |`);
  process.stderr.write(`${lines[lines.length - 1]}\n`);
}
process.stdout.write(`${lines.join('\n')}\n`);
