import type { Knex } from 'knex';

/**
 * A failed delivery's body is kept as the bytes that arrived, so its replay hashes to the same delivery: text
 * cannot hold every byte sequence (no NUL; PostgreSQL refuses some, a client's decoding replaces others).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`alter table deliveries alter column body type bytea using convert_to(body, 'UTF8')`);
}

/**
 * Back to text. A body that is not UTF-8 has no text form; it is dropped, which loses nothing: a replay of it
 * could only be refused (invalid-encoding).
 */
export async function down(knex: Knex): Promise<void> {
  await knex.raw(`create function pg_temp.utf8_or_null(body bytea) returns text language plpgsql as $$
    begin return convert_from(body, 'UTF8');
    exception when character_not_in_repertoire then return null;
    end $$`);
  await knex.raw('alter table deliveries alter column body type text using pg_temp.utf8_or_null(body)');
  await knex.raw('drop function pg_temp.utf8_or_null(bytea)');
}
