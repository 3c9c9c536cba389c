import { notePendingScrubs, scrubDue } from '../../src/housekeeping/pending-scrubs';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

/** A stand-in for the shop's side only: which products it was asked to scrub. The shop's side is tested in test/nopcommerce/retention. */
const recordingShop = (cacheMinutes: number) => {
  const asked: number[][] = [];
  return {
    asked,
    cacheMinutes,
    scrub: async (ids: number[]) => {
      asked.push(ids);
      return { scrubbed: ids, ordered: [] };
    },
  };
};

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

it('scrubs retired products only once the shop’s cache time and the margin have passed, once each', async () => {
  const shop = recordingShop(240);
  const now = Date.parse('2026-12-01T10:00:00Z');
  await notePendingScrubs(database.knex, shop, [11, 12], now);
  expect(await scrubDue(database.knex, shop, now + 244 * 60_000)).toBe(0);
  expect(await scrubDue(database.knex, shop, now + 245 * 60_000)).toBe(2);
  expect(await scrubDue(database.knex, shop, now + 300 * 60_000)).toBe(0);
  expect(shop.asked).toEqual([[11, 12]]);
});

it('a product retired again waits again from then', async () => {
  const shop = recordingShop(60);
  const now = Date.parse('2026-12-01T10:00:00Z');
  await notePendingScrubs(database.knex, shop, [21], now);
  await notePendingScrubs(database.knex, shop, [21], now + 30 * 60_000);
  expect(await scrubDue(database.knex, shop, now + 65 * 60_000)).toBe(0);
  expect(await scrubDue(database.knex, shop, now + 95 * 60_000)).toBe(1);
});

it('has a migration whose down removes the table and whose up makes it again', async () => {
  const MIGRATION = '20261202090000_create_nop_pending_scrubs';
  await database.migration('down', MIGRATION);
  expect(await database.knex.schema.hasTable('nop_pending_scrubs')).toBe(false);
  await database.migration('up', MIGRATION);
  expect(await database.knex.schema.hasTable('nop_pending_scrubs')).toBe(true);
});
