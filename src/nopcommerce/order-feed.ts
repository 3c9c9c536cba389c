import type { Knex } from 'knex';
import { utcIso } from './dialects/dialect';

/**
 * The shop's orders as the print queue follows them: new ones by Id, known ones again by Id, and their lines.
 * nopCommerce's "Order" has no UpdatedOnUtc and no index on its status columns, so every read here goes by the
 * primary key or by IX_OrderItem_OrderId, and in pages: its cost follows the orders read, never the shop's size.
 */

/** An order's columns the queue follows: those nopCommerce changes when an order is paid, shipped, cancelled, refunded or deleted. */
export interface FeedOrder {
  orderId: number;
  customOrderNumber: string;
  /** ISO 8601, UTC */
  createdOnUtc: string;
  /** the billing address's name (company when there is no name) */
  customerName: string;
  orderStatusId: number;
  paymentStatusId: number;
  shippingStatusId: number;
  deleted: boolean;
  paidDateUtc: string | null;
}

export interface FeedLine {
  orderId: number;
  productId: number;
  quantity: number;
}

export interface OrderFeed {
  /** The orders after this Id, in Id order, at most `limit`. */
  ordersAfter(afterId: number, limit: number): Promise<FeedOrder[]>;
  /** These orders as they are now (an order missing is gone from the shop's database). */
  ordersWithIds(orderIds: number[]): Promise<FeedOrder[]>;
  /** Every line of these orders: which product, how many. */
  linesOf(orderIds: number[]): Promise<FeedLine[]>;
}

const name = (first: unknown, last: unknown, company: unknown) =>
  [first, last].filter(Boolean).join(' ').trim() || String(company ?? '').trim();

function feedOrder(row: Record<string, unknown>): FeedOrder {
  return {
    orderId: Number(row.Id),
    customOrderNumber: String(row.CustomOrderNumber),
    createdOnUtc: utcIso(String(row.CreatedOnUtc)),
    customerName: name(row.FirstName, row.LastName, row.Company),
    orderStatusId: Number(row.OrderStatusId),
    paymentStatusId: Number(row.PaymentStatusId),
    shippingStatusId: Number(row.ShippingStatusId),
    deleted: Boolean(row.Deleted),
    paidDateUtc: row.PaidDateUtc == null ? null : utcIso(String(row.PaidDateUtc)),
  };
}

const ORDER_COLUMNS = ['o.Id', 'o.CustomOrderNumber', 'o.CreatedOnUtc', 'o.OrderStatusId', 'o.PaymentStatusId', 'o.ShippingStatusId', 'o.Deleted', 'o.PaidDateUtc',
  'a.FirstName', 'a.LastName', 'a.Company'];

const orders = (db: Knex) => db('Order as o').leftJoin('Address as a', 'a.Id', 'o.BillingAddressId').select(ORDER_COLUMNS);

export function createOrderFeed(db: Knex): OrderFeed {
  return {
    ordersAfter: async (afterId, limit) => (await orders(db).where('o.Id', '>', afterId).orderBy('o.Id').limit(limit)).map(feedOrder),
    ordersWithIds: async (orderIds) => (orderIds.length ? (await orders(db).whereIn('o.Id', orderIds)).map(feedOrder) : []),
    async linesOf(orderIds) {
      if (orderIds.length === 0) return [];
      const rows = await db('OrderItem').whereIn('OrderId', orderIds).orderBy('Id').select('OrderId', 'ProductId', 'Quantity');
      return rows.map((row) => ({ orderId: Number(row.OrderId), productId: Number(row.ProductId), quantity: Number(row.Quantity) }));
    },
  };
}
