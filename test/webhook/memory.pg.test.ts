import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { makePng } from '../../src/images/make-png';
import { aDelivery } from '../factories/delivery';
import { startTestApp, type TestApp } from '../helpers/app';

// A full collection on demand: what is still held afterwards is reachable, whatever the machine's load.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
setFlagsFromString('--no-expose-gc');

jest.setTimeout(120_000);

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

/** JavaScript heap and Buffers (bodies and images are Buffers) in use after a full collection. */
function held(): number {
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

// On PostgreSQL only: embedded PGlite's memory is an ArrayBuffer that grows with its own cache and never shrinks.
it('holds none of the bodies or images of a stream of maximum-size image deliveries once they are answered', async () => {
  // 1670 x 1670 noisy RGB is just under the 8 MiB image limit; its base64 body is about 11 MB.
  const image = makePng(1670, 1670, { noise: true }).toString('base64');
  const deliver = async () => expect((await app.deliver(aDelivery({ MainImage: image }))).status).toBe(200);
  for (let i = 0; i < 2; i++) await deliver(); // warm-up: compiled code, connection pools, buffer pools
  const before = held();
  const deliveries = 10;
  for (let i = 0; i < deliveries; i++) await deliver();
  const growth = held() - before;
  process.stdout.write(`held after ${deliveries} deliveries of ${Math.round(image.length / 1e6)} MB: ${Math.round(growth / 1e6)} MB more\n`);
  // Keeping even the decoded image (three quarters of the body) of each delivery would add 10 x 8 MB; seen in
  // full suite runs: up to 10 MB of other growth (connection buffers, caches). The bound is half of 10 x 8 MB.
  const decodedImage = (image.length * 3) / 4;
  expect(growth).toBeLessThan((deliveries * decodedImage) / 2);
});
