import type { Knex } from 'knex';
import { ORDER_STATUS, PAYMENT_STATUS, SHIPPING_STATUS } from '../nopcommerce/order-status';
import type { QueueFrom } from './types';

/**
 * Where an order stands, written once, as SQL over print_queue_orders' columns: the page filters and counts
 * by it, and the job sets to_print_at and settled by it, so the list and the announcement never disagree.
 */

const { Cancelled, Processing, Complete } = ORDER_STATUS;
const { Paid, PartiallyRefunded, Refunded, Voided } = PAYMENT_STATUS;
const { Shipped, Delivered } = SHIPPING_STATUS;

/** The shop stopped the order: nobody may print or ship it. */
const STOPPED = `(order_status = ${Cancelled} or payment_status in (${Refunded}, ${Voided}) or deleted)`;
const SHIPPED = `shipping_status in (${Shipped}, ${Delivered})`;
const PAID = `payment_status in (${Paid}, ${PartiallyRefunded})`;
const STARTED: Record<QueueFrom, string> = {
  paid: PAID,
  processing: `(order_status in (${Processing}, ${Complete}) or ${PAID})`,
};

/** The order's QueueState. */
export const stateSql = (from: QueueFrom) =>
  `(case when printed_at is not null then 'printed' when printing_at is not null then 'printing' when ${STOPPED} then 'cancelled'` +
  ` when ${SHIPPED} then 'shipped' when ${STARTED[from]} then 'to print' else 'waiting' end)`;

/** Printing or printed, and then stopped by the shop: shown in red so nobody ships it. */
export const STOPPED_AFTER_PRINTING_SQL = `(printing_at is not null and ${STOPPED})`;

/**
 * Nothing the shop still does to the order changes what the print room must do: stopped or shipped before it
 * was printed, or printed and then completed or stopped. Settled orders are no longer re-read from the shop.
 */
const SETTLED = `((printing_at is null and (${STOPPED} or ${SHIPPED})) or (printed_at is not null and (${STOPPED} or order_status = ${Complete})))`;

/** Brings `settled` up to date for these orders. */
export const refreshSettled = (trx: Knex.Transaction, orderIds: number[]) =>
  trx('print_queue_orders').whereIn('order_id', orderIds).update({ settled: trx.raw(SETTLED) });
