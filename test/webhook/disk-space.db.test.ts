import { promises as fs } from 'node:fs';
import { startTestApp, type TestApp } from '../helpers/app';
import { aDelivery } from '../factories/delivery';
import { makePng } from '../factories/png';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

/** A floor 1 GiB above what the image directory's disk has free now: as if that disk were nearly full. */
async function lowDisk() {
  const { bavail, bsize } = await fs.statfs(app.imageDir);
  return app.deliverWith({ minFreeDiskBytes: bavail * bsize + 1024 ** 3 });
}

const withImage = (width: number) => aDelivery({ MainImage: makePng(width, 30).toString('base64') });

it('answers 507 to a new image while free disk space is below the floor, before anything is written', async () => {
  const before = await app.footprint();
  const response = await (await lowDisk())(withImage(40));
  expect(response.status).toBe(507);
  expect(response.headers['content-type']).toContain('application/problem+json');
  expect(response.body).toMatchObject({ code: 'insufficient-storage', type: 'urn:kitbridge:problem:insufficient-storage' });
  expect(response.body.detail).toMatch(/^The disk that holds kit images has \d+ MiB free; new images are refused below \d+ MiB \(MIN_FREE_DISK_BYTES\)/);
  expect(await app.footprint()).toEqual(before);
  // A failure on kitbridge's side: logged with its body, so an operator can replay it once space is freed.
  const logged = await app.db('deliveries').where({ request_id: response.headers['x-request-id'] }).first();
  expect(logged).toMatchObject({ outcome: 'failed', status: 507 });
  expect(logged.body).not.toBeNull();
});

it('answers 507 when the disk fills up between the check and the write, and keeps no temp file', async () => {
  const before = await app.footprint();
  // The real store, whose write meets a full disk: /dev/full answers every write with ENOSPC.
  const fillsUp = { ...app.images, stage: () => fs.writeFile('/dev/full', 'x').then(() => app.images.stage(Buffer.alloc(0))) };
  const response = await app.deliverWith({ images: fillsUp })(withImage(43));
  expect(response.status).toBe(507);
  expect(response.body).toMatchObject({ code: 'insufficient-storage' });
  expect(await app.footprint()).toEqual(before);
  const logged = await app.db('deliveries').where({ request_id: response.headers['x-request-id'] }).first();
  expect(logged).toMatchObject({ outcome: 'failed', status: 507 });
});

it('stores the same kind of delivery with a floor of 0', async () => {
  const response = await app.deliverWith({ minFreeDiskBytes: 0 })(withImage(41));
  expect(response.status).toBe(200);
  expect((await app.footprint()).files).toContain(new URL(response.body.imageUrl).pathname.split('/').pop());
});

it('stores a delivery without an image whatever the floor', async () => {
  const response = await (await lowDisk())(aDelivery({ MainImage: null }));
  expect(response.status).toBe(200);
  expect(response.body.imageUrl).toBeNull();
});

it('answers a repeat of a stored delivery with an image 200 while the disk is low: nothing new is written', async () => {
  const body = JSON.stringify(withImage(42));
  const first = await app.deliver(body);
  expect(first.status).toBe(200);
  const before = await app.footprint();
  const again = await (await lowDisk())(body);
  expect(again.status).toBe(200);
  expect(again.body).toEqual(first.body);
  expect(await app.footprint()).toEqual(before);
});
