import type { Knex } from 'knex';

// The print room's queue: kitbridge's copy of each shop order that holds kit products (what the console lists,
// so the page never waits for the shop's database), its production state, the batches it was printed in, and
// how far the job has read the shop's orders. Shop ids are nopCommerce's integer "Order"."Id".
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('print_batches', (t) => {
    t.bigIncrements('id');
    t.timestamp('created_at', { useTz: true }).notNullable();
  });
  await knex.schema.createTable('print_queue_orders', (t) => {
    t.integer('order_id').primary();
    t.text('custom_order_number').notNullable();
    t.timestamp('placed_at', { useTz: true }).notNullable();
    t.text('customer_name').notNullable();
    t.integer('order_status').notNullable();
    t.integer('payment_status').notNullable();
    t.integer('shipping_status').notNullable();
    t.boolean('deleted').notNullable();
    t.timestamp('paid_at', { useTz: true });
    // [{ kitId, name, sizes: [{ size, garments }] }]: what the page lists and the announcement says
    t.jsonb('kits').notNullable();
    t.integer('garments').notNullable();
    // set once, the first time the order was seen "to print": it is announced exactly then
    t.timestamp('to_print_at', { useTz: true });
    t.bigInteger('batch_id').references('print_batches.id').onDelete('SET NULL');
    t.timestamp('printing_at', { useTz: true });
    t.timestamp('printed_at', { useTz: true });
    t.text('printed_by');
    // nothing the shop can still change matters (printed and completed or cancelled, ...): no longer re-read
    t.boolean('settled').notNullable().defaultTo(false);
    t.timestamp('checked_at', { useTz: true }).notNullable();
    t.index(['placed_at', 'order_id']);
    t.index(['batch_id']);
  });
  // The job re-reads the unsettled orders, the longest unchecked first.
  await knex.raw('create index print_queue_orders_unsettled on print_queue_orders (checked_at) where not settled');
  await knex.schema.createTable('print_queue_feed', (t) => {
    t.integer('id').primary();
    // every shop order up to this Id has been read, and was old enough to have all its lines
    t.integer('after_order_id').notNullable();
    // one job at a time across kitbridge processes: whoever holds an unexpired lease runs
    t.text('leased_by');
    t.timestamp('lease_until', { useTz: true });
    t.timestamp('last_run_at', { useTz: true });
  });
  await knex('print_queue_feed').insert({ id: 1, after_order_id: 0 });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('print_queue_feed');
  await knex.schema.dropTable('print_queue_orders');
  await knex.schema.dropTable('print_batches');
}
