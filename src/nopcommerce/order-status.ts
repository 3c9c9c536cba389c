/**
 * nopCommerce's order enums as stored in "Order"'s int columns (Nop.Core/Domain/Orders/OrderStatus.cs,
 * Payments/PaymentStatus.cs, Shipping/ShippingStatus.cs; the same in 4.60-4.90), with the words its admin shows.
 */

export const ORDER_STATUS = { Pending: 10, Processing: 20, Complete: 30, Cancelled: 40 } as const;
export const PAYMENT_STATUS = { Pending: 10, Authorized: 20, Paid: 30, PartiallyRefunded: 35, Refunded: 40, Voided: 50 } as const;
export const SHIPPING_STATUS = { ShippingNotRequired: 10, NotYetShipped: 20, PartiallyShipped: 25, Shipped: 30, Delivered: 40 } as const;

const words = (values: Record<string, number>) =>
  new Map(Object.entries(values).map(([name, id]) => [id, name.replace(/(?<=[a-z])(?=[A-Z])/g, ' ').replace(/ \w/g, (c) => c.toLowerCase())]));
const NAMES = { order: words(ORDER_STATUS), payment: words(PAYMENT_STATUS), shipping: words(SHIPPING_STATUS) };

/** "Partially refunded" for payment status 35; an id nopCommerce does not define is shown as its number. */
export const statusName = (kind: keyof typeof NAMES, id: number): string => NAMES[kind].get(id) ?? `status ${id}`;
