import type { Context } from 'koa';
import { z } from 'zod';
import { AppError } from '../http/errors';
import { parseInput } from '../http/validation';
import type { NopCommerceAdapter } from '../nopcommerce/adapter';
import type { ShopOrder } from '../nopcommerce/orders';
import { batchOrders, startBatch, type QueuedOrder } from '../print-queue/store';
import { showDirectionControls } from '../shared/bidi';
import { Html, html } from '../shared/html';
import { sessionOf, type ConsoleRouter } from './guard';
import { plural, postForm, when } from './layout';
import { kitOrderLines } from './order-lines';
import { buildOrderSheet, orderCsvRows, ORDER_CSV_HEADER, type OrderSheetLine } from './order-sheet';
import { existingOrders, kitsInWords, orderIds, selectionOf, stateOf, type QueuePageDeps } from './queue';
import { sendPage } from './respond';
import { sendCsv } from './sheet-page';
import { renderSheets, type SheetView } from './sheet-view';

/**
 * A batch: orders selected on the queue, printed as one sheet and one CSV, made from the orders' own lines as
 * the shop has them now (the order sheet's building blocks): a page per size (or team) across the orders, each
 * garment marked with its order, or a page per order and size.
 */

export interface BatchPageDeps extends QueuePageDeps {
  orders?: Pick<NopCommerceAdapter, 'order'>;
}

const printForm = z.object({ order: orderIds, per: z.enum(['size', 'order']).default('size') });
const sheetQuery = z.object({ by: z.enum(['size', 'team']).default('size'), per: z.enum(['size', 'order']).default('size') });
const batchPath = (id: string) => `/console/queue/batches/${encodeURIComponent(id)}/sheet`;

export function batchPages(router: ConsoleRouter, deps: BatchPageDeps): void {
  const queue = () => {
    if (!deps.printQueue || !deps.orders) throw new AppError('not-found', 'The print queue needs the nopCommerce adapter.');
    return { from: deps.printQueue.from, shop: deps.orders };
  };
  const batch = async (ctx: Context) => {
    const { from, shop } = queue();
    const orders = await batchOrders(deps.db, from, ctx.params.id!);
    if (orders.length === 0) throw new AppError('not-found', `There is no print batch ${ctx.params.id}.`);
    const found = await Promise.all(orders.map((o) => shop.order(o.orderId)));
    return { id: ctx.params.id!, orders, ...(await kitOrderLines(deps.db, found.filter((o): o is ShopOrder => o !== undefined))) };
  };

  router.post('/console/queue/print', async (ctx) => {
    const { order, per } = parseInput(printForm, selectionOf(ctx.state.form!));
    const orders = await existingOrders(deps.db, queue().from, order);
    const refused = orders.filter((o) => o.state === 'cancelled' || o.state === 'shipped');
    if (refused.length) {
      throw new AppError('bad-request', `Order ${refused.map((o) => o.customOrderNumber).join(', ')} is not to print: the shop cancelled, refunded or shipped it.`);
    }
    const batchId = await startBatch(deps.db, orders.map((o) => o.orderId), new Date());
    ctx.status = 303;
    ctx.redirect(`${batchPath(batchId)}${per === 'order' ? '?per=order' : ''}`);
  });

  router.get('/console/queue/batches/:id/sheet', async (ctx) => {
    const { by, per } = parseInput(sheetQuery, ctx.query);
    const { id, orders, lines } = await batch(ctx);
    const view: SheetView = {
      title: `batch ${id}, ${plural(orders.length, 'order')}`,
      pages: per === 'order' ? perOrder(orders, lines) : buildOrderSheet(lines, by).map((group) => ({ kit: group.kit, group })),
      ordered: lines.reduce((sum, line) => sum + line.quantity, 0),
      by: per === 'order' ? 'size' : by,
      base: batchPath(id),
      about: html`${per === 'order' ? html`A page per order and size; <a href="${batchPath(id)}">across the orders</a>.` : html`Pages across the orders; <a href="${batchPath(id)}?per=order">a page per order</a>.`}`,
      orders: true,
    };
    const body = html`${renderBatch(id, orders, sessionOf(ctx).csrfToken)}${renderSheets(view)}`;
    sendPage(ctx, { title: showDirectionControls(`Print batch ${id}`), section: 'queue', body });
  });

  router.get('/console/queue/batches/:id/sheet.csv', async (ctx) => {
    const { id, lines } = await batch(ctx);
    sendCsv(ctx, `batch-${id}`, ORDER_CSV_HEADER, orderCsvRows(lines));
  });
}

/** Each order's pages in turn, a page per size, titled with the order. */
const perOrder = (orders: QueuedOrder[], lines: OrderSheetLine[]): SheetView['pages'] =>
  orders.flatMap((o) =>
    buildOrderSheet(lines.filter((line) => line.order === o.customOrderNumber), 'size').map((group) => ({
      kit: group.kit,
      group: { ...group, title: `${group.title || 'one size'} · order ${o.customOrderNumber}` },
    })),
  );

/** The batch's orders, above the sheet and left off the paper, with the button that ends the batch. */
function renderBatch(id: string, orders: QueuedOrder[], csrfToken: string): Html {
  const garments = orders.reduce((sum, o) => sum + o.garments, 0);
  const mark = postForm('/console/queue/printed', csrfToken, html`${orders.map((o) => html`<input type="hidden" name="order" value="${o.orderId}">`)}<button type="submit">Mark these printed…</button>`);
  return html`<div class="no-print">
<h1>Print batch ${id}</h1>
<p>${plural(orders.length, 'order')}, ${plural(garments, 'garment')}; printing since ${when(orders[0]!.printingAt ?? new Date())}.</p>
<div class="scroll"><table class="cards"><thead><tr><th>Order</th><th>Customer</th><th>Kits</th><th class="num">Garments</th><th>State</th></tr></thead>
<tbody>${orders.map((o) => html`<tr${o.stopped ? new Html(' class="problem"') : ''}><td data-label="Order"><strong>${o.customOrderNumber}</strong></td><td data-label="Customer">${o.customerName}</td><td data-label="Kits">${kitsInWords(o)}</td><td data-label="Garments" class="num">${o.garments}</td><td data-label="State">${stateOf(o)}</td></tr>`)}</tbody></table></div>
<div class="bar">${mark} <a class="button secondary" href="/console/queue">Back to the queue</a></div>
</div>`;
}
