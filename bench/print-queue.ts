import { readFileSync } from 'node:fs';
import { knex, type Knex } from 'knex';
import { openDatabase } from '../src/db/database';
import { postgres } from '../src/nopcommerce/dialects/postgres';
import { createOrderFeed } from '../src/nopcommerce/order-feed';
import { runQueueJob, type QueueRun } from '../src/print-queue/job';
import { projectFile } from '../src/shared/project-file';
import { createDatabase } from './processes';

/**
 * The print queue's job against a shop of 100,000 orders on PostgreSQL (`npm run build && node
 * dist/bench/print-queue.js`): the first catch-up, then the runs of every minute. Every 10th order holds kit
 * products; the shop's history is delivered, the last 300 kit orders are paid or pending and not shipped.
 */

const ORDERS = Number(process.env.BENCH_ORDERS ?? 100_000);
const KIT_PRODUCTS = 500;
const fixture = (name: string) => readFileSync(projectFile(`test/fixtures/nopcommerce/${name}`), 'utf8');

async function seedShop(shop: Knex): Promise<void> {
  await shop.raw(fixture('schema.sql') + fixture('schema-attributes.sql') + fixture('orders.sql'));
  // The job reads OrderItem.ProductId only; the products themselves would be noise here.
  await shop.raw('alter table "OrderItem" drop constraint "FK_OrderItem_ProductId_Product_Id"');
  await addOrders(shop, 1, ORDERS);
  await shop.raw('analyze');
}

/** Orders `first`..`last` (their Ids), two lines each; the shop's history is delivered, the last 3,000 are not shipped. */
async function addOrders(shop: Knex, first: number, last: number): Promise<void> {
  const recent = ORDERS - 3_000;
  await shop.raw(`
    insert into "Order" ("CustomOrderNumber", "BillingAddressId", "CustomerId", "OrderGuid", "StoreId", "PickupInStore",
      "OrderStatusId", "ShippingStatusId", "PaymentStatusId", "CurrencyRate", "CustomerTaxDisplayTypeId",
      "OrderSubtotalInclTax", "OrderSubtotalExclTax", "OrderSubTotalDiscountInclTax", "OrderSubTotalDiscountExclTax",
      "OrderShippingInclTax", "OrderShippingExclTax", "PaymentMethodAdditionalFeeInclTax", "PaymentMethodAdditionalFeeExclTax",
      "OrderTax", "OrderDiscount", "OrderTotal", "RefundedAmount", "CustomerLanguageId", "AffiliateId",
      "AllowStoringCreditCardNumber", "Deleted", "CreatedOnUtc", "PaidDateUtc")
    select i::text, 1, 1, gen_random_uuid(), 1, false,
      case when i <= ${recent} then 30 else 20 end, case when i <= ${recent} then 40 else 20 end,
      case when i > ${ORDERS - 1_000} and i % 3 = 0 then 10 else 30 end, 1, 10,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100, 0, 1, 0, false, false,
      timestamp '2024-01-01' + i * interval '5 minutes', now()
    from generate_series(${first}, ${last}) i`);
  await shop.raw(`
    insert into "OrderItem" ("OrderId", "ProductId", "OrderItemGuid", "Quantity", "UnitPriceInclTax", "UnitPriceExclTax",
      "PriceInclTax", "PriceExclTax", "DiscountAmountInclTax", "DiscountAmountExclTax", "OriginalProductCost",
      "AttributeDescription", "DownloadCount", "IsDownloadActivated")
    select o, case when o % 10 = 0 and n = 1 then 1 + o % ${KIT_PRODUCTS} else 100000 + o % 997 end, gen_random_uuid(), 1 + o % 4,
      10, 10, 10, 10, 0, 0, 0, 'Roster: Team &#183; #7 &#183; S&#248;ren', 0, false
    from generate_series(${first}, ${last}) o, generate_series(1, 2) n`);
}

async function seedKits(db: Knex): Promise<void> {
  const kits = Array.from({ length: KIT_PRODUCTS / 5 }, (_, k) => ({
    id: `benchkit${String(k).padStart(14, '0')}`, delivery_hash: `bench-${k}`, public_webhook_id: 'bench', name: `Kit ${k}`,
    product_name: '', category_name: '', design_name: '', html: '', declared_quantity: 5, declared_unit_price: 10,
    declared_price: 50, quantity: 5, total: 50, enter_teams: false, warnings: '[]',
  }));
  await db('kits').insert(kits);
  for (const [k, kit] of kits.entries()) {
    const lines = await db('kit_lines')
      .insert(['S', 'M', 'L', 'XL', 'XXL'].map((size, position) => ({ kit_id: kit.id, position, size, quantity: 1, sku: '', unit_price: 10, tax_exempt: false })))
      .returning('id');
    await db('kit_line_nop_products').insert(lines.map((line, i) => ({ line_id: line.id, nop_product_id: 1 + k * 5 + i, slug: `s${k}-${i}` })));
  }
}

/** Runs the job once; its wall time, and the shop's statements and the time they took. */
async function timed(run: () => Promise<QueueRun>, shop: Knex) {
  const started = new Map<string, number>();
  const shopQueries: number[] = [];
  const onQuery = (q: { __knexQueryUid: string }) => started.set(q.__knexQueryUid, performance.now());
  const onResponse = (_: unknown, q: { __knexQueryUid: string }) => shopQueries.push(performance.now() - started.get(q.__knexQueryUid)!);
  shop.on('query', onQuery).on('query-response', onResponse);
  const t0 = performance.now();
  const result = await run();
  const ms = performance.now() - t0;
  shop.off('query', onQuery).off('query-response', onResponse);
  return { ...result, ms: Math.round(ms), shopQueries: shopQueries.length, shopMs: Math.round(shopQueries.reduce((a, b) => a + b, 0)) };
}

async function main() {
  const [shopDb, ownDb] = [await createDatabase(), await createDatabase()];
  const shop = knex({ ...postgres.knexConfig(shopDb.url), pool: { min: 0, max: 5 } });
  const own = openDatabase({ url: ownDb.url });
  try {
    await own.migrate();
    const seeding = performance.now();
    await Promise.all([seedShop(shop), seedKits(own.knex)]);
    console.log(`seeded ${ORDERS} orders in ${Math.round(performance.now() - seeding)} ms`);
    const job = () => runQueueJob({ db: own.knex, feed: createOrderFeed(shop), from: 'paid' });
    const rows: Array<Record<string, unknown>> = [];
    for (let i = 1; ; i++) {
      const run = await timed(job, shop);
      rows.push({ run: `catch-up ${i}`, ...run });
      if (run.read < 10_000) break;
    }
    for (let i = 1; i <= 3; i++) {
      // a busy shop's minute: 20 new orders, 2 of them with kits
      await addOrders(shop, ORDERS + (i - 1) * 20 + 1, ORDERS + i * 20);
      rows.push({ run: `every minute ${i}`, ...(await timed(job, shop)) });
    }
    console.table(rows);
    const queue = await own.knex('print_queue_orders').select(own.knex.raw('count(*) filter (where not settled) as unsettled, count(*) as orders')).first();
    console.log('kitbridge queue:', queue);
  } finally {
    await shop.destroy();
    await own.close();
    await Promise.all([shopDb.drop(), ownDb.drop()]);
  }
}

void main();
