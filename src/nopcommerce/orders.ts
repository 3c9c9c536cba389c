import type { Knex } from 'knex';
import { utcIso } from './dialects/dialect';
import { orderedRoster, type OrderedRoster } from './order-roster';
import { ROSTER_ATTRIBUTE } from './roster';

/** What kitbridge reads of the shop's orders, and the retirement of products no order refers to. */

/** One order line that sells a product (for the shop owner's console). */
export interface ProductOrder {
  productId: number;
  orderId: number;
  customOrderNumber: string;
  /** ISO 8601, UTC */
  createdOnUtc: string;
  /** the shop owner deleted the order (nopCommerce keeps it, soft-deleted) */
  deleted: boolean;
}

/** One OrderItem row: a product, how many, and the roster the shopper bought with it. */
export interface ShopOrderLine {
  orderItemId: number;
  productId: number;
  quantity: number;
  roster: OrderedRoster;
}

/** An order, with its lines in the order nopCommerce placed them. */
export interface ShopOrder extends Omit<ProductOrder, 'productId'> {
  lines: ShopOrderLine[];
}

/** An `OrderItem` row's columns as kitbridge reads them. */
const ORDER_LINE_COLUMNS = ['Id', 'ProductId', 'Quantity', 'AttributeDescription'] as const;
const orderLineFrom = (row: Record<(typeof ORDER_LINE_COLUMNS)[number], unknown>): ShopOrderLine => ({
  orderItemId: Number(row.Id),
  productId: Number(row.ProductId),
  quantity: Number(row.Quantity),
  roster: orderedRoster(row.AttributeDescription === null ? null : String(row.AttributeDescription)),
});

/** An `Order` row's columns as kitbridge reads them, whichever engine's types they come in. */
const orderFrom = (row: { Id: unknown; CustomOrderNumber: unknown; CreatedOnUtc: unknown; Deleted: unknown }) => ({
  orderId: Number(row.Id),
  customOrderNumber: String(row.CustomOrderNumber),
  createdOnUtc: utcIso(String(row.CreatedOnUtc)),
  deleted: Boolean(row.Deleted),
});

/** One order of the shop, with its lines; undefined when it has no such order. */
export async function orderOf(db: Knex, orderId: number): Promise<ShopOrder | undefined> {
  const order = await db('Order').where({ Id: orderId }).first('Id', 'CustomOrderNumber', 'CreatedOnUtc', 'Deleted');
  if (!order) return undefined;
  const items = await db('OrderItem').where({ OrderId: orderId }).orderBy('Id').select(...ORDER_LINE_COLUMNS);
  return { ...orderFrom(order), lines: items.map(orderLineFrom) };
}

export async function orderedProductIds(db: Knex, productIds: number[]): Promise<Set<number>> {
  if (productIds.length === 0) return new Set();
  const rows = await db('OrderItem').whereIn('ProductId', productIds).distinct('ProductId');
  return new Set(rows.map((row) => Number(row.ProductId)));
}

export async function ordersOf(db: Knex, productIds: number[]): Promise<ProductOrder[]> {
  if (productIds.length === 0) return [];
  const rows = await db('OrderItem as i')
    .join('Order as o', 'o.Id', 'i.OrderId')
    .whereIn('i.ProductId', productIds)
    .distinct('i.ProductId', 'o.Id', 'o.CustomOrderNumber', 'o.CreatedOnUtc', 'o.Deleted')
    .orderBy([{ column: 'o.CreatedOnUtc' }, { column: 'o.Id' }, { column: 'i.ProductId' }]);
  return rows.map((row) => ({ productId: Number(row.ProductId), ...orderFrom(row) }));
}

/**
 * One transaction: kitbridge's own products (its marker opens the admin comment) that no order line refers to
 * get Deleted = true, as ProductService.DeleteProductAsync does (UpdatedOnUtc untouched, like it), and lose
 * what named players: their descriptions and their roster values. The order check is part of the UPDATE, so a
 * product ordered meanwhile is never touched; an order already placed keeps its own copy of the roster.
 */
export async function retireProducts(db: Knex, productIds: number[]): Promise<{ retired: number[]; ordered: number[] }> {
  if (productIds.length === 0) return { retired: [], ordered: [] };
  return db.transaction(async (trx) => {
    const unordered = (q: Knex.QueryBuilder) =>
      q.whereNotExists(function () {
        this.select(trx.raw('1')).from('OrderItem').whereRaw('?? = ??', ['OrderItem.ProductId', 'Product.Id']);
      });
    const ours = trx('Product').whereIn('Id', productIds).where('AdminComment', 'like', 'kitbridge:%');
    const retired = (await unordered(ours).pluck('Id')).map(Number);
    if (retired.length > 0) {
      await unordered(trx('Product').whereIn('Id', retired)).update({ Deleted: true, ShortDescription: null, FullDescription: null });
      await trx('ProductAttributeValue')
        .whereIn(
          'ProductAttributeMappingId',
          trx('Product_ProductAttribute_Mapping')
            .whereIn('ProductId', retired)
            .whereIn('ProductAttributeId', trx('ProductAttribute').where({ Name: ROSTER_ATTRIBUTE.Name }).select('Id'))
            .select('Id'),
        )
        .delete();
    }
    return { retired, ordered: [...(await orderedProductIds(trx, productIds))] };
  });
}
