import type { Knex } from 'knex';

// The print room's outbox: one row per order and channel, written in the transaction that makes the order
// "to print", so an order is never announced without being queued, nor twice (the unique pair). A sender claims a
// row for a lease (claimed_until, with a fresh claim token to fence a sender whose lease ran out), sends it and
// records the outcome. announcement_channels records when each channel was first configured: orders placed
// before that are not announced (docs/guides/print-room.md).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('print_room_announcements', (t) => {
    t.bigIncrements('id');
    t.integer('order_id').notNullable();
    t.text('channel').notNullable();
    // webhook-id and Message-ID: the same on every attempt, so receivers can drop a repeat
    t.text('message_id').notNullable().unique();
    t.jsonb('order_summary').notNullable();
    t.text('state').notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('due_at', { useTz: true }).notNullable();
    t.timestamp('claimed_until', { useTz: true });
    t.text('claim');
    t.text('last_error');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('sent_at', { useTz: true });
    t.unique(['order_id', 'channel']);
    t.index(['state', 'due_at']);
  });
  await knex.raw(`alter table print_room_announcements add constraint print_room_announcements_state check (state in ('pending', 'sent', 'failed'))`);
  await knex.schema.createTable('announcement_channels', (t) => {
    t.text('channel').primary();
    t.timestamp('started_at', { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('announcement_channels');
  await knex.schema.dropTable('print_room_announcements');
}
