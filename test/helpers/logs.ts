import { Writable } from 'node:stream';
import pino from 'pino';

/** A real pino logger whose JSON lines land in `lines`, for tests that check what an operator would read. */
export function captureLogs() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).trim().split('\n'));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines, records: () => lines.map((line) => JSON.parse(line)) };
}
