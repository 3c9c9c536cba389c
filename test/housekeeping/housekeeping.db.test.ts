import { housekeeping } from '../../src/housekeeping/cleanup';
import { insertDelivery } from '../../src/deliveries/log';
import { aDelivery, sampleDelivery } from '../factories/delivery';
import { aFailedDelivery } from '../factories/delivery-log';
import { startTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const failed = (text: string) => aFailedDelivery(Buffer.from(text));

it('drops failed bodies past their age or beyond the byte budget (oldest first), and removes kits past RETENTION_DAYS', async () => {
  const old = await insertDelivery(app.db, failed('x'.repeat(100)));
  await app.db('deliveries').where({ id: old }).update({ received_at: app.db.raw("now() - interval '20 days'") });
  const older = await insertDelivery(app.db, failed('y'.repeat(600)));
  const newest = await insertDelivery(app.db, failed('z'.repeat(600)));
  const oldKit = (await app.deliver(sampleDelivery())).body;
  const newKit = (await app.deliver(aDelivery())).body;
  await app.db('kits').where({ id: oldKit.id }).update({ created_at: app.db.raw("now() - interval '100 days'") });

  const done = await housekeeping(
    { db: app.db, images: app.images },
    { retentionDays: 90, failedBodies: { days: 14, maxBytes: 1_000 } },
  );

  expect(done).toEqual({ bodiesDropped: 2, kits: { removed: 1, kept: 0, imagesRemoved: 1, productsRetired: 0, productsScrubbed: 0 }, productsScrubbed: 0 });
  const kept = await app.db('deliveries').whereNotNull('body').pluck('id');
  expect(kept.map(String)).toEqual([newest]);
  expect(String(older)).not.toBe(newest);
  expect(await app.db('kits').pluck('id')).toEqual([newKit.id]);
  expect((await app.footprint()).files).toEqual([]);
});

it('keeps every kit when RETENTION_DAYS is not set', async () => {
  await app.db('kits').update({ created_at: app.db.raw("now() - interval '1000 days'") });
  const before = await app.footprint();
  const done = await housekeeping({ db: app.db, images: app.images }, { failedBodies: { days: 14, maxBytes: 1_000 } });
  expect(done.kits).toBeNull();
  expect(await app.footprint()).toEqual(before);
});
