import type { Knex } from 'knex';
import { openShopDatabase, type NopCommerceSettings, type ShopDatabase } from './connection';
import { shopFailure } from './errors';
import { createOrderFeed, type OrderFeed } from './order-feed';
import { orderedProductIds, orderOf, ordersOf, retireProducts, type ProductOrder, type ShopOrder } from './orders';
import type { Published, PublishInput } from './publication';
import { publish } from './publish';

export type { NopCommerceSettings };

/** kitbridge's way into one nopCommerce shop's database. */
export interface NopCommerceAdapter {
  /** Creates (or, for a retried delivery, finds) one nopCommerce product per line, in one nopCommerce transaction. */
  publish(input: PublishInput): Promise<Published>;
  /** Which of these products some order refers to ("OrderItem"): those kits must be kept. */
  orderedProductIds(productIds: number[]): Promise<Set<number>>;
  /** For the operator's health page: the shop's database answers now; its nopCommerce version. Throws if not. */
  checkConnection(): Promise<{ version: string }>;
  /** The orders these products appear in, oldest first. */
  ordersOf(productIds: number[]): Promise<ProductOrder[]>;
  /** One order with the products its lines sell (the print sheet of a whole order); undefined if there is none. */
  order(orderId: number): Promise<ShopOrder | undefined>;
  /**
   * Retires the products of removed kits: those kitbridge wrote and no order refers to are soft-deleted, as
   * nopCommerce's admin deletes a product, and lose their roster values and descriptions; ordered ones are left
   * alone and returned, so their kits can be kept.
   */
  retire(productIds: number[]): Promise<{ retired: number[]; ordered: number[] }>;
  /** The shop's orders as the print queue follows them. */
  orderFeed: OrderFeed;
  close(): Promise<void>;
}

/** Wires the adapter's steps to one shop's database; the steps live in publish.ts, writes.ts and orders.ts. */
export function createNopCommerceAdapter(settings: NopCommerceSettings): NopCommerceAdapter {
  const shop = openShopDatabase(settings);
  return {
    publish: (input) => publish(shop, input),
    checkConnection: () => checkConnection(shop),
    orderedProductIds: answering(shop, orderedProductIds),
    ordersOf: answering(shop, ordersOf),
    order: answering(shop, orderOf),
    retire: answering(shop, retireProducts),
    orderFeed: createOrderFeed(shop.db),
    close: () => shop.db.destroy(),
  };
}

/** Failures of the shop's database answer as they do for deliveries: transient or refused. */
const answering =
  <A extends unknown[], R>(shop: ShopDatabase, run: (db: Knex, ...args: A) => Promise<R>) =>
  async (...args: A): Promise<R> => {
    try {
      return await run(shop.db, ...args);
    } catch (error) {
      throw shopFailure(shop.dialect, error);
    }
  };

async function checkConnection(shop: ShopDatabase): Promise<{ version: string }> {
  await shop.db.raw('select 1');
  return { version: (await shop.schema()).version };
}
