import type { Knex } from 'knex';

// Money is numeric(14,2): exact, and wide enough for any kit. Ids shown to the public are random text.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('kits', (t) => {
    t.text('id').primary();
    t.text('delivery_hash').notNullable().unique();
    t.text('public_webhook_id').notNullable();
    t.text('name').notNullable();
    t.text('product_name').notNullable();
    t.text('category_name').notNullable();
    t.text('design_name').notNullable();
    t.text('html').notNullable();
    t.integer('declared_quantity').notNullable();
    t.decimal('declared_unit_price', 14, 2).notNullable();
    t.decimal('declared_price', 14, 2).notNullable();
    t.integer('quantity').notNullable();
    t.decimal('total', 14, 2).notNullable();
    t.decimal('unit_weight');
    t.decimal('total_weight');
    t.boolean('enter_teams').notNullable();
    t.text('image_name');
    t.integer('image_bytes');
    t.jsonb('warnings').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['created_at']);
    t.index(['image_name']);
  });
  await knex.schema.createTable('kit_lines', (t) => {
    t.bigIncrements('id');
    t.text('kit_id').notNullable().references('kits.id').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.text('size').notNullable();
    t.integer('quantity').notNullable();
    t.text('sku').notNullable();
    t.decimal('unit_price', 14, 2).notNullable();
    t.boolean('tax_exempt').notNullable();
    t.unique(['kit_id', 'position']);
  });
  await knex.schema.createTable('kit_teams', (t) => {
    t.bigIncrements('id');
    t.text('kit_id').notNullable().references('kits.id').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.text('name').notNullable();
    t.unique(['kit_id', 'position']);
  });
  await knex.schema.createTable('kit_units', (t) => {
    t.bigIncrements('id');
    t.bigInteger('team_id').notNullable().references('kit_teams.id').onDelete('CASCADE');
    t.bigInteger('line_id').references('kit_lines.id').onDelete('SET NULL');
    t.integer('position').notNullable();
    t.text('name').notNullable();
    t.text('number').notNullable();
    t.text('size').notNullable();
    t.text('sku').notNullable();
    t.decimal('cart_price', 14, 2);
    t.boolean('tax_exempt').notNullable();
    t.unique(['team_id', 'position']);
    t.index(['line_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('kit_units');
  await knex.schema.dropTable('kit_teams');
  await knex.schema.dropTable('kit_lines');
  await knex.schema.dropTable('kits');
}
