/**
 * The seam for the shop's orders. The nopCommerce adapter reads them; until it offers these two reads, the
 * console is built without them and shows no order sections (on a kit's page, which orders its products are
 * in; the print sheet of a whole order). Given `orders`, both appear: nothing else changes.
 */

export interface ShopOrder {
  /** nopCommerce's "Order"."Id" */
  id: number;
  /** what the shop shows as the order number ("Order"."CustomOrderNumber") */
  customOrderNumber: string;
  createdAt: Date;
}

export interface ShopOrders {
  /** every (product, order) pair for these product ids; products in no order are absent */
  ordersOf(productIds: number[]): Promise<Array<ShopOrder & { productId: number }>>;
  /** one order with the product ids of its items; undefined when the shop has no such order */
  order(orderId: number): Promise<(ShopOrder & { productIds: number[] }) | undefined>;
}
