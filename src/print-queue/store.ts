import type { Knex } from 'knex';
import { idOf, jsonOf, type Db } from '../db/database';
import type { FeedOrder } from '../nopcommerce/order-feed';
import { refreshSettled, stateSql, STOPPED_AFTER_PRINTING_SQL } from './state';
import type { OnToPrint, QueueFrom, QueueState, ToPrintOrder } from './types';

/** kitbridge's copy of the shop's kit orders and their production state (table print_queue_orders). */

/** An order as the job read it from the shop, with its kit lines summed per kit and size. */
export interface TrackedOrder extends FeedOrder {
  kits: ToPrintOrder['kits'];
}

/** An order as the console lists it. */
export interface QueuedOrder extends ToPrintOrder {
  customerName: string;
  orderStatusId: number;
  paymentStatusId: number;
  shippingStatusId: number;
  deleted: boolean;
  state: QueueState;
  /** printing or printed, and then cancelled, voided, refunded or deleted in the shop */
  stopped: boolean;
  batchId: string | null;
  printingAt: Date | null;
  printedAt: Date | null;
  printedBy: string | null;
}

const garmentsOf = (kits: ToPrintOrder['kits']) => kits.reduce((sum, kit) => sum + kit.sizes.reduce((s, size) => s + size.garments, 0), 0);

/** The shop's columns of a row: what the job writes, each time it reads the order. */
const shopColumns = (order: TrackedOrder, checkedAt: Date) => ({
  order_id: order.orderId,
  custom_order_number: order.customOrderNumber,
  placed_at: new Date(order.createdOnUtc),
  customer_name: order.customerName,
  order_status: order.orderStatusId,
  payment_status: order.paymentStatusId,
  shipping_status: order.shippingStatusId,
  deleted: order.deleted,
  paid_at: order.paidDateUtc && new Date(order.paidDateUtc),
  kits: JSON.stringify(order.kits),
  garments: garmentsOf(order.kits),
  checked_at: checkedAt,
});

/**
 * Records what the job read (new orders are added, known ones updated) and, in the same transaction, marks
 * the orders that became "to print" for the first time, handing each to `onToPrint`. Returns how many did.
 */
export async function recordOrders(trx: Knex.Transaction, orders: TrackedOrder[], from: QueueFrom, checkedAt: Date, onToPrint?: OnToPrint): Promise<number> {
  if (orders.length === 0) return 0;
  const rows = orders.map((order) => shopColumns(order, checkedAt));
  await trx('print_queue_orders').insert(rows).onConflict('order_id').merge(Object.keys(rows[0]!).filter((c) => c !== 'order_id'));
  const ids = orders.map((order) => order.orderId);
  await refreshSettled(trx, ids);
  const became = await trx('print_queue_orders')
    .whereIn('order_id', ids)
    .whereNull('to_print_at')
    .whereRaw(`${stateSql(from)} = 'to print'`)
    .update({ to_print_at: checkedAt })
    .returning(['order_id', 'custom_order_number', 'placed_at', 'kits', 'garments']);
  for (const row of became.sort((a, b) => a.order_id - b.order_id)) await onToPrint?.(trx, toPrintOrder(row));
  return became.length;
}

function toPrintOrder(row: Record<string, any>): ToPrintOrder {
  return {
    orderId: Number(row.order_id),
    customOrderNumber: row.custom_order_number,
    createdOnUtc: new Date(row.placed_at).toISOString(),
    kits: jsonOf(row.kits),
    garments: Number(row.garments),
  };
}

const dateOrNull = (value: unknown) => (value == null ? null : new Date(value as string));

const listed = (db: Db, from: QueueFrom) =>
  db('print_queue_orders').select('*', db.raw(`${stateSql(from)} as state`), db.raw(`${STOPPED_AFTER_PRINTING_SQL} as stopped`));

function queuedOrder(row: Record<string, any>): QueuedOrder {
  return {
    ...toPrintOrder(row),
    customerName: row.customer_name,
    orderStatusId: row.order_status,
    paymentStatusId: row.payment_status,
    shippingStatusId: row.shipping_status,
    deleted: row.deleted,
    state: row.state,
    stopped: Boolean(row.stopped),
    batchId: row.batch_id == null ? null : idOf(row.batch_id),
    printingAt: dateOrNull(row.printing_at),
    printedAt: dateOrNull(row.printed_at),
    printedBy: row.printed_by,
  };
}

export type QueueFilter = 'to print' | 'printing' | 'printed' | 'all';

/** The orders in one filter, newest first, at most `limit`. */
export async function listQueue(db: Db, from: QueueFrom, filter: QueueFilter, limit: number): Promise<QueuedOrder[]> {
  const query = listed(db, from).orderBy([{ column: 'placed_at', order: 'desc' }, { column: 'order_id', order: 'desc' }]).limit(limit);
  if (filter !== 'all') query.whereRaw(`${stateSql(from)} = ?`, [filter]);
  return (await query).map(queuedOrder);
}

/** How many orders are in each state. */
export async function countQueue(db: Db, from: QueueFrom): Promise<Record<QueueState, number>> {
  const rows = await db('print_queue_orders').select(db.raw(`${stateSql(from)} as state`)).count({ n: '*' }).groupByRaw('1');
  return Object.fromEntries(rows.map((row: Record<string, unknown>) => [row.state, Number(row.n)])) as Record<QueueState, number>;
}

/** These orders as the console lists them, in the order asked (missing ones left out). */
export async function queuedOrders(db: Db, from: QueueFrom, orderIds: number[]): Promise<QueuedOrder[]> {
  const rows = (await listed(db, from).whereIn('order_id', orderIds)).map(queuedOrder);
  return orderIds.flatMap((id) => rows.filter((row) => row.orderId === id));
}

/** The orders printed in one batch, oldest first. */
export async function batchOrders(db: Db, from: QueueFrom, batchId: string): Promise<QueuedOrder[]> {
  if (!/^\d{1,18}$/.test(batchId)) return [];
  return (await listed(db, from).where({ batch_id: batchId }).orderBy([{ column: 'placed_at' }, { column: 'order_id' }])).map(queuedOrder);
}

/** A new batch of these orders: they are "printing" from now on (those printed before are printed again). */
export async function startBatch(db: Knex, orderIds: number[], now: Date): Promise<string> {
  return db.transaction(async (trx) => {
    const [batch] = await trx('print_batches').insert({ created_at: now }).returning('id');
    await trx('print_queue_orders').whereIn('order_id', orderIds).update({ batch_id: batch.id, printing_at: trx.raw('coalesce(printing_at, ?)', [now]) });
    await refreshSettled(trx, orderIds);
    return idOf(batch.id);
  });
}

/** These orders are printed: when, and by whom when the console was told. */
export async function markPrinted(db: Knex, orderIds: number[], by: string | null, now: Date): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('print_queue_orders')
      .whereIn('order_id', orderIds)
      .update({ printing_at: trx.raw('coalesce(printing_at, ?)', [now]), printed_at: now, printed_by: by });
    await refreshSettled(trx, orderIds);
  });
}
