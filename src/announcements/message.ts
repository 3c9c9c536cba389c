import type { ToPrintOrder } from '../print-queue/types';
import { html } from '../shared/html';

/**
 * What the print room is told of one order, as mail and as webhook JSON. Counts, sizes, kit names and a link:
 * never a player's name (rosters list children), nor the customer; the sheet behind the link needs a sign-in.
 */

export interface Announcement {
  /** the same on every attempt: webhook-id, and the mail's Message-ID */
  messageId: string;
  order: ToPrintOrder;
  /** when the order became "to print" */
  queuedAt: Date;
  sheetUrl: string;
}

export const WEBHOOK_EVENT = 'order.to_print';

export const sheetUrlOf = (publicBaseUrl: string, orderId: number): string => `${publicBaseUrl}/console/orders/${orderId}/sheet`;

const garments = (n: number): string => `${n} garment${n === 1 ? '' : 's'}`;
const kitGarments = (kit: ToPrintOrder['kits'][number]): number => kit.sizes.reduce((sum, size) => sum + size.garments, 0);
const placed = (order: ToPrintOrder): string => `${new Date(order.createdOnUtc).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export function mailOf(announcement: Announcement): { subject: string; text: string; html: string } {
  const { order, sheetUrl } = announcement;
  const subject = `To print: order ${order.customOrderNumber}, ${garments(order.garments)}`;
  const text = [
    `Order ${order.customOrderNumber} is ready to print (placed ${placed(order)}).`,
    '',
    ...order.kits.flatMap((kit) => [`${kit.name}: ${garments(kitGarments(kit))}`, ...kit.sizes.map((s) => `  ${s.size}: ${s.garments}`), '']),
    `${garments(order.garments)} in all.`,
    '',
    `Print sheet (sign in to the console): ${sheetUrl}`,
    '',
  ].join('\n');
  const body = html`<!doctype html><html><body style="font-family:sans-serif">
<p>Order <strong>${order.customOrderNumber}</strong> is ready to print (placed ${placed(order)}).</p>
${order.kits.map((kit) => html`<h3 style="margin-bottom:4px">${kit.name}: ${garments(kitGarments(kit))}</h3>
<table cellpadding="4" style="border-collapse:collapse"><tr><th align="left">Size</th><th align="right">Garments</th></tr>
${kit.sizes.map((s) => html`<tr><td>${s.size}</td><td align="right">${s.garments}</td></tr>`)}</table>`)}
<p><strong>${garments(order.garments)}</strong> in all.</p>
<p><a href="${sheetUrl}">Open the print sheet</a> (sign in to the console).</p>
</body></html>`;
  return { subject, text, html: body.value };
}

/**
 * The webhook's JSON, as Standard Webhooks shapes a payload (type, timestamp, data). `text` is for chat tools
 * whose incoming webhooks show a message's `text` as it is.
 */
export function webhookBodyOf(announcement: Announcement): string {
  const { order, sheetUrl, queuedAt } = announcement;
  return JSON.stringify({
    type: WEBHOOK_EVENT,
    timestamp: queuedAt.toISOString(),
    text: `To print: order ${order.customOrderNumber}, ${garments(order.garments)} (${order.kits.map((k) => k.name).join('; ')}). Print sheet: ${sheetUrl}`,
    data: {
      orderId: order.orderId,
      orderNumber: order.customOrderNumber,
      createdOnUtc: order.createdOnUtc,
      garments: order.garments,
      kits: order.kits.map((kit) => ({ kitId: kit.kitId, name: kit.name, garments: kitGarments(kit), sizes: kit.sizes })),
      sheetUrl,
    },
  });
}
