import type { Knex } from 'knex';

// nopCommerce products kitbridge soft-deleted and will scrub (descriptions, roster values) once the shop's cache
// can no longer hold an orderable copy of them (NOPCOMMERCE_CACHE_MINUTES). Kept here so a restart does not
// forget them: until scrubbed, a retired product still names its players.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('nop_pending_scrubs', (t) => {
    t.integer('product_id').primary();
    t.timestamp('scrub_after', { useTz: true }).notNullable();
    t.index(['scrub_after']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('nop_pending_scrubs');
}
