import type { Db } from '../db/database';
import { kitIdsOfShopProducts } from '../kits/read';
import type { ShopOrder } from '../nopcommerce/orders';
import { loadKit } from './kits';
import type { OrderSheetLine } from './order-sheet';

/** An order line whose product is not one of kitbridge's kits (or whose kit is gone): left off the sheet, and said so. */
export interface OtherLine {
  order: string;
  productId: number;
  quantity: number;
}

/** The lines of these orders, each kit product's with its kit and kit line; the others apart. */
export async function kitOrderLines(db: Db, orders: ShopOrder[]): Promise<{ lines: OrderSheetLine[]; others: OtherLine[] }> {
  const productIds = [...new Set(orders.flatMap((order) => order.lines.map((line) => line.productId)))];
  const kits = await Promise.all((await kitIdsOfShopProducts(db, productIds)).map((kitId) => loadKit(db, kitId)));
  const kitLineOf = new Map(
    kits.flatMap((content) => content.lines.flatMap((line) => (line.nop ? [[line.nop.productId, { content, line }] as const] : []))),
  );
  const lines: OrderSheetLine[] = [];
  const others: OtherLine[] = [];
  for (const order of orders) {
    for (const { productId, quantity, roster } of order.lines) {
      const found = kitLineOf.get(productId);
      if (found) lines.push({ order: order.customOrderNumber, kit: found.content.kit, teams: found.content.teams, line: found.line, quantity, roster });
      else others.push({ order: order.customOrderNumber, productId, quantity });
    }
  }
  return { lines, others };
}
