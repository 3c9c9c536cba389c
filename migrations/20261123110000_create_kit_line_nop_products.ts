import type { Knex } from 'knex';

// Which nopCommerce product sells each line, when the nopCommerce catalog adapter is on.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('kit_line_nop_products', (t) => {
    t.bigInteger('line_id').primary().references('kit_lines.id').onDelete('CASCADE');
    t.integer('nop_product_id').notNullable();
    t.text('slug').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('kit_line_nop_products');
}
