import type { Knex } from 'knex';
import { MAX_KIT_TOTAL, NOP_STORED_NUMBERS, STORED_NUMBERS, type StoredNumber } from '../../src/kits/bounds';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { createNopDatabase } from '../helpers/nopcommerce';

/**
 * The bounds the webhook's schema enforces, against the column types the databases actually have: a column
 * narrowed, or a bound widened, without the other fails here instead of as a 500 on a delivery.
 */
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

const INTEGER_MAX: Record<string, number> = { smallint: 2 ** 15 - 1, integer: 2 ** 31 - 1, bigint: Number.MAX_SAFE_INTEGER };

/** What each numeric column of these tables can hold, by "table.column", read from information_schema. */
async function capacities(db: Knex, tables: string[]): Promise<Map<string, StoredNumber & { type: string }>> {
  const { rows } = await db.raw(
    `select table_name, column_name, data_type, numeric_precision, numeric_scale from information_schema.columns
     where table_schema = current_schema() and table_name = any(?) and numeric_precision is not null`,
    [tables],
  );
  return new Map(
    rows.map((row: Record<string, any>) => {
      const [precision, scale] = [Number(row.numeric_precision), Number(row.numeric_scale)];
      const type = row.data_type === 'numeric' ? `numeric(${precision},${scale})` : row.data_type;
      const capacity = row.data_type === 'numeric' ? { max: 10 ** (precision - scale) - 10 ** -scale, decimals: scale } : { max: INTEGER_MAX[row.data_type] ?? 0, decimals: 0 };
      return [`${row.table_name}.${row.column_name}`, { ...capacity, type }];
    }),
  );
}

/** Each stored number whose column cannot hold its bound, said as a reviewer would want to read it. */
function misfits(needs: Record<string, StoredNumber>, columns: Map<string, StoredNumber & { type: string }>): string[] {
  return Object.entries(needs).flatMap(([name, need]) => {
    const column = columns.get(name);
    if (!column) return [`${name} is not a numeric column`];
    if (column.max < need.max || column.decimals < need.decimals) {
      return [`${name} is ${column.type} but must hold ${need.max} with ${need.decimals} decimals`];
    }
    return [];
  });
}

const tablesOf = (needs: Record<string, StoredNumber>) => [...new Set(Object.keys(needs).map((name) => name.split('.')[0]!))];

it("holds every number the schema accepts, and every total derived from them, in kitbridge's columns", async () => {
  expect(misfits(STORED_NUMBERS, await capacities(database.knex, tablesOf(STORED_NUMBERS)))).toEqual([]);
  // and a double represents the largest total to the cent, so no total is rounded on its way to the database
  expect(Number.isSafeInteger(MAX_KIT_TOTAL * 100)).toBe(true);
});

it("holds every number the nopCommerce adapter writes in the shop's columns", async () => {
  const shop = await createNopDatabase();
  try {
    expect(misfits(NOP_STORED_NUMBERS, await capacities(shop.db, tablesOf(NOP_STORED_NUMBERS)))).toEqual([]);
  } finally {
    await shop.drop();
  }
});

it("has no length-limited text column in the kit's tables: the schema's text bounds are the only ones", async () => {
  const limited = await database.knex('information_schema.columns')
    .whereRaw('table_schema = current_schema()')
    .whereIn('table_name', ['kits', 'kit_lines', 'kit_teams', 'kit_units'])
    .whereNotNull('character_maximum_length')
    .pluck('column_name');
  expect(limited).toEqual([]);
});
