import type { Knex } from 'knex';
import { openShopDatabase, type NopCommerceSettings, type ShopDatabase } from './connection';
import { shopFailure } from './errors';
import { createOrderFeed, type OrderFeed } from './order-feed';
import { orderedProductIds, orderOf, ordersOf, retireProducts, scrubProducts, type ProductOrder, type ShopOrder } from './orders';
import type { Published, PublishInput } from './publication';
import { publish } from './publish';
import { readShopSettings } from './settings';
import { taxCheck, type ShopTaxCheck } from './tax';

export type { NopCommerceSettings };

/** kitbridge's way into one nopCommerce shop's database. */
export interface NopCommerceAdapter {
  /** Creates (or, for a retried delivery, finds) one nopCommerce product per line, in one nopCommerce transaction. */
  publish(input: PublishInput): Promise<Published>;
  /** Which of these products some order refers to ("OrderItem"): those kits must be kept. */
  orderedProductIds(productIds: number[]): Promise<Set<number>>;
  /**
   * For the start and the operator's health page: the shop's database answers now; its nopCommerce version, its
   * tax settings in force and why kitbridge cannot price kits under them (empty when it can). Throws if not.
   */
  checkConnection(): Promise<{ version: string } & ShopTaxCheck>;
  /** The orders these products appear in, oldest first. */
  ordersOf(productIds: number[]): Promise<ProductOrder[]>;
  /** One order with its lines and the roster each carries (the print sheet of an order); undefined if there is none. */
  order(orderId: number): Promise<ShopOrder | undefined>;
  /**
   * Retires the products of removed kits: those kitbridge wrote and no order refers to are soft-deleted, as
   * nopCommerce's admin deletes a product; ordered ones are left alone and returned, so their kits can be kept.
   */
  retire(productIds: number[]): Promise<{ retired: number[]; ordered: number[] }>;
  /** Removes retired products' roster values and descriptions: only after cacheMinutes (orders.ts says why). */
  scrub(productIds: number[]): Promise<{ scrubbed: number[]; ordered: number[] }>;
  /** NOPCOMMERCE_CACHE_MINUTES: how long the shop may still sell a retired product from its cache */
  cacheMinutes: number;
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
    scrub: answering(shop, scrubProducts),
    cacheMinutes: settings.cacheMinutes ?? 60,
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

async function checkConnection(shop: ShopDatabase): Promise<{ version: string } & ShopTaxCheck> {
  await shop.db.raw('select 1');
  const { version } = await shop.schema();
  return { version, ...taxCheck(shop.settings, (await readShopSettings(shop.db, shop.settings.storeId)).tax) };
}
