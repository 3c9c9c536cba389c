import { createHash } from 'node:crypto';
import { generateToken } from '../../src/webhook-tokens/tokens';
import { aDelivery } from '../factories/delivery';
import { nopFootprint, startShopApp } from '../helpers/nopcommerce';

/**
 * A failed delivery replayed by an operator, then retried by Kit Builder, is one delivery: the same bytes, the
 * same hash, one kit and one nopCommerce product per line.
 */
const ADMIN_TOKEN = generateToken();
let s: Awaited<ReturnType<typeof startShopApp>>;
beforeAll(async () => {
  s = await startShopApp({ app: { adminToken: ADMIN_TOKEN } });
});
afterAll(() => s.close());

const post = (body: Buffer) =>
  s.app.http().post(s.app.webhookPath()).set('Content-Type', 'application/json').serialize((bytes: Buffer) => bytes as never).send(body);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * Makes the shop's database refuse new products, as an outage would (a server shutting down: a failure a retry
 * can cure, so Kit Builder is told 503), until the returned function runs.
 */
async function breakShop() {
  await s.shop.raw(`create or replace function refuse_products() returns trigger language plpgsql as $$
    begin raise exception 'injected outage' using errcode = '57P01'; end $$`);
  await s.shop.raw('create trigger refuse_products before insert on "Product" for each statement execute function refuse_products()');
  return () => s.shop.raw('drop trigger refuse_products on "Product"');
}

const latestDelivery = () => s.app.db('deliveries').orderBy('id', 'desc').first('id', 'outcome', 'body_sha256', 'replay_of', 'kit_id');

it('replays a failed delivery with non-ASCII text byte for byte: same hash, one kit, one product per line', async () => {
  const body = Buffer.from(
    JSON.stringify(aDelivery({
      Name: 'Ølstykke FC — 山田 🏆',
      sizes: [{ Name: '128cm', Quantity: 1 }, { Name: 'Größe L', Quantity: 1 }],
      teams: [{ Name: 'Første hold', Units: [{ Name: 'Søren Ærø', Number: '7', Size: '128cm' }, { Name: 'Zoë 🦊', Number: '9', Size: 'Größe L' }] }],
    })),
  );
  const heal = await breakShop();
  expect((await post(body)).status).toBe(503);
  await heal();
  const failed = await latestDelivery();
  expect(failed).toMatchObject({ outcome: 'failed', body_sha256: sha256(body) });

  const replay = await s.app.http().post(`/admin/deliveries/${failed.id}/replay`).set('Authorization', `Bearer ${ADMIN_TOKEN}`);
  expect(replay.status).toBe(200);
  expect(replay.body).toMatchObject({ created: true, link: { name: 'Ølstykke FC — 山田 🏆' } });
  expect(await latestDelivery()).toMatchObject({ outcome: 'created', replay_of: failed.id, body_sha256: failed.body_sha256 });

  // Kit Builder's own retry of the same bytes finds that kit.
  const retry = await post(body);
  expect(retry.body.id).toBe(replay.body.link.id);
  expect((await s.app.footprint()).kits).toBe(1);
  expect((await nopFootprint(s.shop)).Product).toBe(2);
});

it('refuses a body that is not UTF-8 while the shop is down, keeping nothing to replay', async () => {
  const before = { kits: await s.app.footprint(), shop: await nopFootprint(s.shop) };
  const [head, tail] = JSON.stringify(aDelivery({ Name: '@' })).split('"@"') as [string, string];
  const body = Buffer.concat([Buffer.from(`${head}"Team `), Buffer.from([0xd8]), Buffer.from(` kit"${tail}`)]);
  const heal = await breakShop();
  const response = await post(body);
  await heal();
  expect(response.status).toBe(400);
  expect(response.body.code).toBe('invalid-encoding');
  expect(await latestDelivery()).toMatchObject({ outcome: 'rejected' });
  expect(Number((await s.app.db('deliveries').whereNotNull('body').count({ n: '*' }))[0]!.n)).toBe(0);
  expect({ kits: await s.app.footprint(), shop: await nopFootprint(s.shop) }).toEqual(before);
});
