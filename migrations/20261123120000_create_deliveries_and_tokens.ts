import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Every delivery that reached the webhook with a valid token: what arrived, when, from where, and what came of it.
  // The body is kept only for failures a replay can finish, and only for a bounded time (README, "Deliveries").
  await knex.schema.createTable('deliveries', (t) => {
    t.bigIncrements('id');
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('request_id').notNullable();
    t.text('remote_address').notNullable();
    t.integer('body_bytes').notNullable();
    t.text('body_sha256');
    t.text('outcome').notNullable(); // created | duplicate | rejected | failed
    t.integer('status').notNullable();
    t.integer('duration_ms').notNullable();
    t.text('kit_id').references('kits.id').onDelete('SET NULL');
    t.jsonb('problem');
    t.text('body');
    t.bigInteger('replay_of').references('deliveries.id').onDelete('SET NULL');
    t.index(['received_at']);
    t.index(['outcome', 'received_at']);
  });
  // Tokens added and revoked at run time (`kitbridge tokens`); only their SHA-256 is stored.
  await knex.schema.createTable('webhook_tokens', (t) => {
    t.increments('id');
    t.text('token_sha256').notNullable().unique();
    t.text('hint').notNullable();
    t.text('label').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('revoked_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('webhook_tokens');
  await knex.schema.dropTable('deliveries');
}
