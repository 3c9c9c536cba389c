import { z } from 'zod';
import type { Knex } from 'knex';
import type { Db } from '../db/database';
import { AppError } from '../http/errors';
import { parseInput } from '../http/validation';
import { statusName } from '../nopcommerce/order-status';
import { countQueue, listQueue, markPrinted, queuedOrders, type QueuedOrder, type QueueFilter } from '../print-queue/store';
import type { QueueFrom } from '../print-queue/types';
import { Html, html } from '../shared/html';
import { sessionOf, type ConsoleContext, type ConsoleRouter } from './guard';
import { consoleKitPath } from './kits';
import { plural, postForm, when } from './layout';
import { sendPage } from './respond';

/**
 * The print room's queue: the shop's kit orders, newest first, from kitbridge's own copy (the job keeps it);
 * a batch of selected orders printed as one sheet, and marked printed after a confirmation.
 */

export interface QueuePageDeps {
  db: Knex;
  /** with the nopCommerce adapter: PRINT_QUEUE_FROM */
  printQueue?: { from: QueueFrom };
}

const LISTED = 200;
const FILTERS: Array<[slug: string, filter: QueueFilter, label: string]> = [
  ['to-print', 'to print', 'To print'],
  ['printing', 'printing', 'Printing'],
  ['printed', 'printed', 'Printed'],
  ['all', 'all', 'All'],
];
const listQuery = z.object({
  state: z.enum(FILTERS.map(([slug]) => slug) as [string, ...string[]]).default('to-print'),
  marked: z.coerce.number().int().min(0).optional().catch(undefined),
});
export const orderIds = z.array(z.string().regex(/^\d{1,9}$/, 'must be an order id').transform(Number)).min(1, 'select at least one order').max(LISTED);
const printedForm = z.object({ order: orderIds, confirm: z.literal('yes').optional(), by: z.string().trim().max(100).optional() });

/** A form's fields with the repeated `order` as a list. */
export const selectionOf = (form: URLSearchParams) => ({ ...Object.fromEntries(form), order: form.getAll('order') });

export function queuePages(router: ConsoleRouter, deps: QueuePageDeps): void {
  router.get('/console/queue', async (ctx) => {
    const { state, marked } = parseInput(listQuery, ctx.query);
    if (!deps.printQueue) return sendPage(ctx, { title: 'Print queue', section: 'queue', body: WITHOUT_SHOP });
    const filter = FILTERS.find(([slug]) => slug === state)!;
    const [orders, counts, feed] = await Promise.all([
      listQueue(deps.db, deps.printQueue.from, filter[1], LISTED),
      countQueue(deps.db, deps.printQueue.from),
      deps.db('print_queue_feed').first('last_run_at'),
    ]);
    const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
    const tabs = html`<p class="bar" role="navigation" aria-label="Filter">${FILTERS.map(([slug, f, label]) => html`<a class="button${slug === state ? '' : ' secondary'}" href="/console/queue?state=${slug}"${slug === state ? new Html(' aria-current="page"') : ''}>${label} (${f === 'all' ? total : counts[f] ?? 0})</a>`)}</p>`;
    const notice = marked ? html`<p class="notice">${plural(marked, 'order')} marked printed.</p>` : '';
    const read = feed?.last_run_at ? html`The shop's orders were last read ${when(feed.last_run_at)}.` : html`The shop's orders have not been read yet (the first read starts a few seconds after kitbridge starts).`;
    const body = html`<h1>Print queue</h1>
${notice}<p>Shop orders with kits, newest first. An order is <strong>to print</strong> once it is ${deps.printQueue.from === 'paid' ? 'paid' : 'processing'} in nopCommerce (<code>PRINT_QUEUE_FROM=${deps.printQueue.from}</code>). ${read}</p>
${tabs}${renderOrders(orders, sessionOf(ctx).csrfToken, filter[2])}`;
    sendPage(ctx, { title: 'Print queue', section: 'queue', body });
  });

  router.post('/console/queue/printed', async (ctx) => {
    if (!deps.printQueue) throw new AppError('not-found', 'The print queue needs the nopCommerce adapter.');
    const form = parseInput(printedForm, selectionOf(ctx.state.form!));
    const orders = await existingOrders(deps.db, deps.printQueue.from, form.order);
    if (form.confirm) {
      await markPrinted(deps.db, orders.map((o) => o.orderId), form.by || null, new Date());
      ctx.status = 303;
      return ctx.redirect(`/console/queue?state=printed&marked=${orders.length}`);
    }
    sendPage(ctx, { title: 'Mark printed', section: 'queue', body: confirmPrinted(ctx, orders) });
  });
}

/** The orders asked for; not-found naming those kitbridge does not have. */
export async function existingOrders(db: Db, from: QueueFrom, ids: number[]): Promise<QueuedOrder[]> {
  const orders = await queuedOrders(db, from, [...new Set(ids)]);
  const missing = ids.filter((id) => !orders.some((o) => o.orderId === id));
  if (missing.length) throw new AppError('not-found', `The print queue has no order ${missing.join(', ')}.`);
  return orders;
}

const WITHOUT_SHOP = html`<h1>Print queue</h1><p>The print queue lists the shop's orders with kits. It needs the nopCommerce adapter (<code>CATALOG=nopcommerce</code>): see the nopCommerce guide.</p>`;

/** "Home Shirt: 128cm × 2, 140cm × 3". */
export const kitsInWords = (order: Pick<QueuedOrder, 'kits'>) =>
  order.kits.map((kit) => html`<div><a href="${consoleKitPath(kit.kitId)}">${kit.name}</a>: ${kit.sizes.map((s) => `${s.size || 'one size'} × ${s.garments}`).join(', ')}</div>`);

const STATE_WORDS: Record<QueuedOrder['state'], string> = {
  'to print': 'to print',
  printing: 'printing',
  printed: 'printed',
  waiting: 'waiting',
  cancelled: 'not to print',
  shipped: 'shipped without printing',
};

/** The production state, and in red when the shop stopped an order already printing or printed. */
export function stateOf(order: QueuedOrder): Html {
  const state = html`<span class="badge ${order.state.replace(' ', '-')}">${STATE_WORDS[order.state]}</span>`;
  const printed = order.printedAt ? html`<div class="muted">${when(order.printedAt)}${order.printedBy ? ` by ${order.printedBy}` : ''}</div>` : '';
  return order.stopped ? html`${state}${printed}<div class="error-text"><strong>${order.deleted ? 'Deleted' : 'Cancelled or refunded'} in the shop: do not ship</strong></div>` : html`${state}${printed}`;
}

const statuses = (o: QueuedOrder) =>
  html`<div>Payment: ${statusName('payment', o.paymentStatusId)}</div><div>Order: ${statusName('order', o.orderStatusId)}${o.deleted ? ' (deleted)' : ''}</div><div>Shipping: ${statusName('shipping', o.shippingStatusId)}</div>`;

function renderOrders(orders: QueuedOrder[], csrfToken: string, label: string): Html {
  if (orders.length === 0) return html`<p>No orders ${label === 'All' ? 'with kits yet' : `are “${label.toLowerCase()}”`}.</p>`;
  const rows = orders.map(
    (o) => html`<tr${o.stopped ? new Html(' class="problem"') : ''}>
<td><input type="checkbox" name="order" value="${o.orderId}" aria-label="Select order ${o.customOrderNumber}"${o.state === 'cancelled' || o.state === 'shipped' ? new Html(' disabled') : ''}></td>
<td data-label="Order"><strong>${o.customOrderNumber}</strong></td><td data-label="Placed">${when(o.createdOnUtc)}</td><td data-label="Customer">${o.customerName}</td>
<td data-label="In nopCommerce">${statuses(o)}</td><td data-label="Kits">${kitsInWords(o)}</td><td data-label="Garments" class="num">${o.garments}</td>
<td data-label="State">${stateOf(o)}${o.batchId ? html`<div><a href="/console/queue/batches/${o.batchId}/sheet">batch ${o.batchId}</a></div>` : ''}</td></tr>
`,
  );
  return postForm('/console/queue/print', csrfToken, html`<div class="scroll"><table class="cards queue">
<thead><tr><th></th><th>Order</th><th>Placed</th><th>Customer</th><th>In nopCommerce</th><th>Kits</th><th class="num">Garments</th><th>State</th></tr></thead>
<tbody>${rows}</tbody></table></div>
${orders.length === LISTED ? html`<p class="muted">The newest ${LISTED} are shown.</p>` : ''}
<div class="bar"><label>Sheet<br><select name="per"><option value="size">a page per size, across the orders</option><option value="order">a page per order</option></select></label>
<button type="submit">Print selected as one sheet</button>
<button type="submit" class="secondary" formaction="/console/queue/printed">Mark selected printed…</button></div>`);
}

function confirmPrinted(ctx: ConsoleContext, orders: QueuedOrder[]): Html {
  const fields = html`${orders.map((o) => html`<input type="hidden" name="order" value="${o.orderId}">`)}<input type="hidden" name="confirm" value="yes">`;
  return html`<h1>Mark ${plural(orders.length, 'order')} printed?</h1>
<p>They move to “printed”, with the time, and stay there: this cannot be undone in the console.</p>
<ul>${orders.map((o) => html`<li>Order <strong>${o.customOrderNumber}</strong>, ${o.customerName}: ${plural(o.garments, 'garment')}${o.stopped ? html` <strong class="error-text">(cancelled or refunded in the shop: do not ship)</strong>` : ''}</li>`)}</ul>
${postForm('/console/queue/printed', sessionOf(ctx).csrfToken, html`${fields}<div class="bar"><label>Printed by (optional: a name or initials)<br><input name="by" maxlength="100" autocomplete="name"></label>
<button type="submit">Mark printed</button> <a class="button secondary" href="/console/queue">Not yet</a></div>`)}`;
}
