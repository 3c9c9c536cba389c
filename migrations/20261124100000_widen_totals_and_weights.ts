import type { Knex } from 'knex';

/**
 * Columns wide enough for the kit's bounds (src/kits/bounds.ts, checked by test/kits/bounds.db.test.ts): a kit's
 * total and declared Price reach MAX_KIT_TOTAL (10^13), beyond numeric(14,2); weights were numeric(8,2) (knex's
 * default), which refused the schema's own largest weight and dropped decimals nopCommerce keeps.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('kits', (t) => {
    t.decimal('declared_price', 18, 2).notNullable().alter();
    t.decimal('total', 18, 2).notNullable().alter();
    t.decimal('unit_weight', 18, 4).alter();
    t.decimal('total_weight', 18, 4).alter();
  });
}

/** Fails, changing nothing, if a stored kit no longer fits the narrower columns. */
export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('kits', (t) => {
    t.decimal('declared_price', 14, 2).notNullable().alter();
    t.decimal('total', 14, 2).notNullable().alter();
    t.decimal('unit_weight', 8, 2).alter();
    t.decimal('total_weight', 8, 2).alter();
  });
}
