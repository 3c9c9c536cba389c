import { startTestApp, type TestApp } from '../helpers/app';
import { aDelivery, sampleDelivery } from '../factories/delivery';
import { generateToken } from '../../src/checkout/tokens';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

it('creates nothing new for a repeated delivery and returns the first answer', async () => {
  const body = JSON.stringify(sampleDelivery());
  const first = await app.deliver(body);
  const footprint = await app.footprint();
  const second = await app.deliver(body);
  expect(second.status).toBe(200);
  expect(second.body).toEqual(first.body);
  expect(await app.footprint()).toEqual(footprint);
});

it('creates exactly one kit when the same delivery arrives several times at the same instant', async () => {
  const body = JSON.stringify(aDelivery({ MainImage: sampleDelivery().SingleItemCheckout.MainImage }));
  const before = await app.footprint();
  const responses = await Promise.all(Array.from({ length: 8 }, () => app.deliver(body)));
  expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
  expect(new Set(responses.map((r) => JSON.stringify(r.body))).size).toBe(1);
  const after = await app.footprint();
  expect(after.kits - before.kits).toBe(1);
  expect(after.lines - before.lines).toBe(1);
  // the image is shared with the sample's kit: still one file, and no temp files left over
  expect(after.files).toEqual(before.files);
});

it('treats a different body as a different delivery', async () => {
  const delivery = aDelivery();
  const a = await app.deliver(delivery);
  const b = await app.deliver({ ...delivery, PublicWebhookId: 'another' });
  expect(a.body.id).not.toBe(b.body.id);
});

it('accepts every configured token, and stops accepting a removed one without a restart', async () => {
  const next = generateToken();
  app.tokens.push(next);
  expect((await app.deliver(aDelivery(), next)).status).toBe(200);
  expect((await app.deliver(aDelivery())).status).toBe(200);
  const old = app.tokens.shift()!;
  expect((await app.deliver(aDelivery(), old)).status).toBe(404);
  expect((await app.deliver(aDelivery(), next)).status).toBe(200);
  app.tokens.unshift(old);
});
