import { createTestDatabase, type TestDatabase } from '../helpers/database';

const MIGRATION = '20261202110000_create_print_queue';
/** The tables this migration makes (others, such as the print room's outbox, belong to later migrations). */
const QUEUE_TABLES = ['print_batches', 'print_queue_feed', 'print_queue_orders'];
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const tables = async () =>
  (await database.knex('information_schema.tables').whereRaw('table_schema = any (current_schemas(false))').whereIn('table_name', QUEUE_TABLES).pluck('table_name')).sort();

it('removes the print queue tables on the way down and makes them again, with the feed at its start, on the way up', async () => {
  expect(await tables()).toEqual(QUEUE_TABLES);
  await database.migration('down', MIGRATION);
  expect(await tables()).toEqual([]);
  await database.migration('up', MIGRATION);
  expect(await tables()).toEqual(QUEUE_TABLES);
  expect(await database.knex('print_queue_feed').select('id', 'after_order_id')).toEqual([{ id: 1, after_order_id: 0 }]);
});
