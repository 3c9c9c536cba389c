import { catalogAttributesXml, formatAttributes } from './nop-cart';
import { mysql } from '../../src/nopcommerce/dialects/mysql';
import { postgres } from '../../src/nopcommerce/dialects/postgres';
import { placeOrder, type NopDatabase } from './nopcommerce';

/**
 * Orders as nopCommerce's OrderProcessingService writes them and then changes them: checkout copies each cart
 * line's attributes (the roster, HTML-encoded, joined by "<br />") into OrderItem, and each later step updates
 * the "Order" columns that schema-orders.sql's header lists for it (CheckAndSaveOrderStatusAsync included).
 */

/** Checkout of these kit products through the catalog route, the order placed `createdOnUtc`. */
export async function checkoutKits(nop: NopDatabase, lines: Array<{ productId: number; quantity: number }>, createdOnUtc?: string) {
  const withRoster = [];
  for (const line of lines) {
    const attributes = await catalogAttributesXml(nop.db, line.productId);
    if (!('xml' in attributes)) throw new Error(`product ${line.productId} would not go into the cart from the catalog`);
    withRoster.push({ ...line, attributesXml: attributes.xml, attributeDescription: await formatAttributes(nop.db, attributes.xml) });
  }
  return placeOrder(nop, withRoster, createdOnUtc);
}

const update = (nop: NopDatabase, orderId: number, columns: Record<string, unknown>) => nop.db('Order').where({ Id: orderId }).update(columns);
const nowUtc = () => new Date().toISOString().replace('T', ' ').replace('Z', '');

/** MarkOrderAsPaidAsync: Paid, PaidDateUtc; then Pending -> Processing (a cancelled order stays cancelled). */
export const markPaid = (nop: NopDatabase, orderId: number) =>
  update(nop, orderId, { PaymentStatusId: 30, PaidDateUtc: nowUtc(), OrderStatusId: nop.db.raw('case when ?? = 10 then 20 else ?? end', ['OrderStatusId', 'OrderStatusId']) });
/** Admin ChangeOrderStatus to Processing, before any payment (a shop that prints on invoice). */
export const markProcessing = (nop: NopDatabase, orderId: number) => update(nop, orderId, { OrderStatusId: 20 });
/** ShipAsync with nothing left to ship: Shipped (the order completes on delivery, CompleteOrderWhenDelivered). */
export const ship = (nop: NopDatabase, orderId: number) => update(nop, orderId, { ShippingStatusId: 30 });
/** DeliverAsync, then CheckAndSaveOrderStatusAsync: Delivered and paid is Complete. */
export const deliver = (nop: NopDatabase, orderId: number) => update(nop, orderId, { ShippingStatusId: 40, OrderStatusId: 30 });
/** CancelOrderAsync: the order status only; payment and shipping stay. */
export const cancel = (nop: NopDatabase, orderId: number) => update(nop, orderId, { OrderStatusId: 40 });
/** RefundOfflineAsync of the whole total: Refunded; the order status stays. */
export const refund = (nop: NopDatabase, orderId: number) =>
  update(nop, orderId, { PaymentStatusId: 40, RefundedAmount: nop.db.raw('??', ['OrderTotal']) });
/** VoidOfflineAsync. */
export const voidPayment = (nop: NopDatabase, orderId: number) => update(nop, orderId, { PaymentStatusId: 50 });
/** DeleteOrderAsync: a soft delete; the lines stay. */
export const softDelete = (nop: NopDatabase, orderId: number) => update(nop, orderId, { Deleted: true });

/** The checkout's billing step for another customer: a copy of their Address, which the order points at. */
export async function billTo(nop: NopDatabase, orderId: number, firstName: string, lastName: string) {
  const dialect = nop.engine === 'postgres' ? postgres : mysql;
  await nop.db.transaction(async (trx) => {
    const addressId = await dialect.insertId(trx, 'Address', { FirstName: firstName, LastName: lastName, City: 'Ølstykke', CustomAttributes: '', CreatedOnUtc: nowUtc() });
    await trx('Order').where({ Id: orderId }).update({ BillingAddressId: addressId });
  });
}
