import fc from 'fast-check';
import { insertDelivery } from '../../src/deliveries/log';
import { deliveryBody } from '../../src/deliveries/store';
import { aFailedDelivery } from '../factories/delivery-log';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

/** A failed delivery's body is kept as the bytes that arrived, whatever they are, so a replay is the same delivery. */
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

it('gives back exactly the bytes it kept: UTF-8 of any script, NUL, and bytes that are not UTF-8', async () => {
  const bytes = fc.oneof(
    fc.string({ unit: 'binary' }).map((text) => Buffer.from(text)),
    fc.uint8Array({ maxLength: 200 }).map((array) => Buffer.from(array)),
    fc.constantFrom(Buffer.from('{"Name":"Ølstykke 山田 🏆"}'), Buffer.from([0x7b, 0x00, 0x7d]), Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80])),
  );
  await fc.assert(
    fc.asyncProperty(bytes, async (body) => {
      const id = await insertDelivery(database.knex, aFailedDelivery(body));
      expect((await deliveryBody(database.knex, id))?.equals(body)).toBe(true);
    }),
    { numRuns: 100 },
  );
});

describe('the migration to bytes', () => {
  const MIGRATION = '20261124090000_keep_delivery_bodies_as_bytes';
  const textRow = (body: string) => ({ request_id: 'old', remote_address: '127.0.0.1', body_bytes: 1, outcome: 'failed', status: 503, duration_ms: 1, body });

  it('keeps the bodies stored as text, as their UTF-8 bytes, and back', async () => {
    await database.migration('down', MIGRATION);
    const [{ id }] = await database.knex('deliveries').insert(textRow('{"Name":"Ølstykke 山田 🏆"}')).returning('id');
    await database.migration('up', MIGRATION);
    expect(await deliveryBody(database.knex, String(id))).toEqual(Buffer.from('{"Name":"Ølstykke 山田 🏆"}'));

    const notUtf8 = await insertDelivery(database.knex, aFailedDelivery(Buffer.from([0x7b, 0xc0, 0xaf, 0x7d])));
    await database.migration('down', MIGRATION);
    const bodies = await database.knex('deliveries').whereIn('id', [id, notUtf8]).orderBy('id').pluck('body');
    // A body that is not UTF-8 has no text form; a replay of it could only be refused.
    expect(bodies).toEqual(['{"Name":"Ølstykke 山田 🏆"}', null]);
    await database.migration('up', MIGRATION);
  });
});
