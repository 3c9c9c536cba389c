import { createHash } from 'node:crypto';
import { addToken, revokeToken } from '../../src/webhook-tokens/store';
import { listDeliveries } from '../../src/deliveries/store';
import { aDelivery, sampleDelivery } from '../factories/delivery';
import { startTestApp, type TestApp } from '../helpers/app';
import { waitFor } from '../helpers/wait';

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
  const logged = (await listDeliveries(app.db, { limit: 8 })).filter((d) => d.bodySha256 === sha256(body));
  expect(logged.map((d) => d.outcome).sort()).toEqual(['created', ...Array(7).fill('duplicate')]);
  expect(new Set(logged.map((d) => d.kitId))).toEqual(new Set([responses[0]!.body.id]));
});

it('logs the first delivery of a body as created and a repeat as a duplicate of the same kit', async () => {
  const body = JSON.stringify(aDelivery());
  const first = await app.deliver(body);
  await app.deliver(body);
  const [repeat, original] = await listDeliveries(app.db, { limit: 2 });
  const logged = { status: 200, kitId: first.body.id, bodyBytes: Buffer.byteLength(body), bodySha256: sha256(body), problem: null };
  expect(original).toMatchObject({ ...logged, outcome: 'created' });
  expect(repeat).toMatchObject({ ...logged, outcome: 'duplicate' });
  expect(Number(repeat!.id)).toBeGreaterThan(Number(original!.id));
});

it('treats a different body as a different delivery', async () => {
  const delivery = aDelivery();
  const a = await app.deliver(delivery);
  const b = await app.deliver({ ...delivery, PublicWebhookId: 'another' });
  expect(a.body.id).not.toBe(b.body.id);
});

// Written to the database by another process (the CLI against a second instance, say): the service learns of
// it when it re-reads the list (every second here). The bound only keeps a broken re-read from hanging the test.
it('accepts a token added at run time beside the configured one, and refuses it once its revocation is re-read', async () => {
  const { token, row } = await addToken(app.db, 'rotation test');
  await waitFor(async () => (await app.deliver(aDelivery(), token)).status === 200, 20_000);
  expect((await app.deliver(aDelivery())).status).toBe(200);
  await revokeToken(app.db, row.id);
  await waitFor(async () => (await app.deliver(aDelivery(), token)).status === 404, 20_000);
});

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
