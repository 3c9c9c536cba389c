import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Knex } from 'knex';
import { kitLinesOfShopProducts } from '../kits/read';
import type { FeedLine, FeedOrder, OrderFeed } from '../nopcommerce/order-feed';
import { advanceMark, releaseLease, takeLease } from './lease';
import { recordOrders, type TrackedOrder } from './store';
import type { OnToPrint, QueueFrom } from './types';

/**
 * The job that keeps the print queue: reads the shop's new orders after the high-water mark, and re-reads the
 * orders of the queue that are not settled (nopCommerce's "Order" has no UpdatedOnUtc to ask by), each in
 * pages by primary key, so a run costs what it reads: at most NEW_PAGES + RECHECK_PAGES pages.
 */

export interface QueueJobDeps {
  db: Knex;
  feed: OrderFeed;
  from: QueueFrom;
  onToPrint?: OnToPrint;
  now?: () => number;
  /** who holds the lease; a new name per process by default */
  holder?: string;
}

export const PAGE = 500;
const NEW_PAGES = 20;
const RECHECK_PAGES = 4;
/**
 * nopCommerce writes an order's row first and its lines one by one after it, outside one transaction: an order
 * is read again on every run until it is this old, and only then does the mark move past it.
 */
export const SETTLE_MS = 10 * 60_000;

export interface QueueRun {
  /** false: another process held the lease, and this run did nothing */
  ran: boolean;
  read: number;
  rechecked: number;
  toPrint: number;
}

export const newHolder = () => `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

export async function runQueueJob(deps: QueueJobDeps): Promise<QueueRun> {
  const holder = deps.holder ?? newHolder();
  let mark = await takeLease(deps.db, holder);
  if (mark === undefined) return { ran: false, read: 0, rechecked: 0, toPrint: 0 };
  const started = new Date((deps.now ?? Date.now)());
  const run: QueueRun = { ran: true, read: 0, rechecked: 0, toPrint: 0 };
  try {
    for (let page = 0; page < NEW_PAGES; page++) {
      const orders = await deps.feed.ordersAfter(mark, PAGE);
      run.read += orders.length;
      const young = orders.findIndex((order) => Date.parse(order.createdOnUtc) > started.getTime() - SETTLE_MS);
      const settled = young === -1 ? orders : orders.slice(0, young);
      run.toPrint += await track(deps, orders, started, false, async (trx) => {
        if (settled.length) await advanceMark(trx, holder, settled[settled.length - 1]!.orderId);
      });
      if (settled.length) mark = settled[settled.length - 1]!.orderId;
      if (orders.length < PAGE || young !== -1) break;
    }
    for (let page = 0; page < RECHECK_PAGES; page++) {
      const ids = (await deps.db('print_queue_orders').where({ settled: false }).where('checked_at', '<', started).orderBy('checked_at').limit(PAGE).pluck('order_id')).map(Number);
      if (ids.length === 0) break;
      await takeLease(deps.db, holder);
      const found = await deps.feed.ordersWithIds(ids);
      // An order gone from the shop's database (nopCommerce only soft-deletes: someone removed it by hand) is deleted.
      const gone = ids.filter((id) => !found.some((order) => order.orderId === id));
      const missing = await deps.db('print_queue_orders').whereIn('order_id', gone).select('*');
      const vanished = missing.map((row): FeedOrder => ({ ...fromRow(row), deleted: true }));
      run.rechecked += ids.length;
      run.toPrint += await track(deps, [...found, ...vanished], started, true);
      if (ids.length < PAGE) break;
    }
  } finally {
    await releaseLease(deps.db, holder);
  }
  return run;
}

const fromRow = (row: Record<string, any>): FeedOrder => ({
  orderId: Number(row.order_id),
  customOrderNumber: row.custom_order_number,
  createdOnUtc: new Date(row.placed_at).toISOString(),
  customerName: row.customer_name,
  orderStatusId: row.order_status,
  paymentStatusId: row.payment_status,
  shippingStatusId: row.shipping_status,
  deleted: row.deleted,
  paidDateUtc: row.paid_at && new Date(row.paid_at).toISOString(),
});

/**
 * Reads these orders' lines, keeps the orders that hold kit products (all of them when `known`: they are in
 * the queue already) and records them, with `also` in the same transaction.
 */
async function track(deps: QueueJobDeps, orders: FeedOrder[], checkedAt: Date, known: boolean, also?: (trx: Knex.Transaction) => Promise<void>) {
  const lines = await deps.feed.linesOf(orders.map((order) => order.orderId));
  const products = new Map((await kitLinesOfShopProducts(deps.db, [...new Set(lines.map((line) => line.productId))])).map((p) => [p.productId, p]));
  const linesOf = new Map<number, FeedLine[]>();
  for (const line of lines) linesOf.set(line.orderId, [...(linesOf.get(line.orderId) ?? []), line]);
  const tracked = orders
    .map((order) => ({ ...order, kits: kitsOf(linesOf.get(order.orderId) ?? [], products) }))
    .filter((order) => known || order.kits.length > 0);
  return deps.db.transaction(async (trx) => {
    const became = await recordOrders(trx, tracked, deps.from, checkedAt, deps.onToPrint);
    await also?.(trx);
    return became;
  });
}

type KitProduct = Awaited<ReturnType<typeof kitLinesOfShopProducts>>[number];

/** An order's kit lines as kits, each with its sizes in the kit's line order and the garments of each. */
function kitsOf(lines: FeedLine[], products: Map<number, KitProduct>): TrackedOrder['kits'] {
  const kits = new Map<string, { kitId: string; name: string; sizes: Map<string, { position: number; garments: number }> }>();
  for (const line of lines) {
    const product = products.get(line.productId);
    if (!product) continue;
    const kit = kits.get(product.kitId) ?? { kitId: product.kitId, name: product.kitName, sizes: new Map() };
    const size = kit.sizes.get(product.size) ?? { position: product.position, garments: 0 };
    size.garments += line.quantity;
    kit.sizes.set(product.size, size);
    kits.set(product.kitId, kit);
  }
  return [...kits.values()].map((kit) => ({
    kitId: kit.kitId,
    name: kit.name,
    sizes: [...kit.sizes].sort(([, a], [, b]) => a.position - b.position).map(([size, { garments }]) => ({ size, garments })),
  }));
}
