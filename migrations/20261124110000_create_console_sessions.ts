import type { Knex } from 'knex';

// The shop owner's console sessions. Only the SHA-256 of a session id is stored, so a copy of the database
// signs nobody in. A session ends at expires_at, or earlier when last_seen_at is too old (README, "Console").
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('console_sessions', (t) => {
    t.text('id_sha256').primary();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('last_seen_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('console_sessions');
}
