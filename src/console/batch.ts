import { z } from 'zod';
import { AppError } from '../http/errors';
import { parseInput } from '../http/validation';
import { batchOrders, startBatch, type QueuedOrder } from '../print-queue/store';
import { Html, html } from '../shared/html';
import { sessionOf, type ConsoleRouter } from './guard';
import { plural, postForm, when } from './layout';
import { existingOrders, kitsInWords, orderIds, selectionOf, stateOf, type QueuePageDeps } from './queue';
import { sendPage } from './respond';

/** A batch: orders selected on the queue, printed as one sheet (per size across them, or per order) and one CSV. */

const printForm = z.object({ order: orderIds, by: z.enum(['size', 'order']).default('size') });
const sheetQuery = z.object({ by: z.enum(['size', 'order']).default('size') });

export function batchPages(router: ConsoleRouter, deps: QueuePageDeps): void {
  const from = () => {
    if (!deps.printQueue) throw new AppError('not-found', 'The print queue needs the nopCommerce adapter.');
    return deps.printQueue.from;
  };

  router.post('/console/queue/print', async (ctx) => {
    const { order, by } = parseInput(printForm, selectionOf(ctx.state.form!));
    const orders = await existingOrders(deps.db, from(), order);
    const refused = orders.filter((o) => o.state === 'cancelled' || o.state === 'shipped');
    if (refused.length) {
      throw new AppError('bad-request', `Order ${refused.map((o) => o.customOrderNumber).join(', ')} is not to print: the shop cancelled, refunded or shipped it.`);
    }
    const batchId = await startBatch(deps.db, orders.map((o) => o.orderId), new Date());
    ctx.status = 303;
    ctx.redirect(`/console/queue/batches/${batchId}${by === 'order' ? '?by=order' : ''}`);
  });

  router.get('/console/queue/batches/:id', async (ctx) => {
    const { by } = parseInput(sheetQuery, ctx.query);
    const orders = await batchOrders(deps.db, from(), ctx.params.id!);
    if (orders.length === 0) throw new AppError('not-found', `There is no print batch ${ctx.params.id}.`);
    const base = `/console/queue/batches/${encodeURIComponent(ctx.params.id!)}`;
    sendPage(ctx, { title: `Print batch ${ctx.params.id}`, section: 'queue', body: renderBatch(ctx.params.id!, orders, by, base, sessionOf(ctx).csrfToken) });
  });
}

/** Garments per kit and size across the batch's orders: what to take from the shelf. */
function sizesAcross(orders: QueuedOrder[]): Array<{ kitId: string; name: string; sizes: Map<string, number> }> {
  const kits = new Map<string, { kitId: string; name: string; sizes: Map<string, number> }>();
  for (const kit of orders.flatMap((o) => o.kits)) {
    const entry = kits.get(kit.kitId) ?? { kitId: kit.kitId, name: kit.name, sizes: new Map() };
    for (const s of kit.sizes) entry.sizes.set(s.size, (entry.sizes.get(s.size) ?? 0) + s.garments);
    kits.set(kit.kitId, entry);
  }
  return [...kits.values()];
}

function renderBatch(id: string, orders: QueuedOrder[], by: 'size' | 'order', base: string, csrfToken: string): Html {
  const garments = orders.reduce((sum, o) => sum + o.garments, 0);
  const mark = postForm('/console/queue/printed', csrfToken, html`${orders.map((o) => html`<input type="hidden" name="order" value="${o.orderId}">`)}<button type="submit" class="secondary">Mark these printed…</button>`);
  return html`<div class="no-print">
<h1>Print batch ${id}</h1>
<p>${plural(orders.length, 'order')}, ${plural(garments, 'garment')}; started ${when(orders[0]!.printingAt ?? new Date())}.</p>
<p class="bar"><a class="button${by === 'size' ? '' : ' secondary'}" href="${base}">A page per size, across the orders</a>
<a class="button${by === 'order' ? '' : ' secondary'}" href="${base}?by=order">A page per order</a>
<a class="button secondary" href="${base}/sheet.csv${by === 'order' ? '?by=order' : ''}">Download CSV</a>
<button type="button" data-print hidden>Print</button> ${mark}</p>
<div class="scroll"><table class="cards"><thead><tr><th>Order</th><th>Customer</th><th>Kits</th><th class="num">Garments</th><th>State</th></tr></thead>
<tbody>${orders.map((o) => html`<tr${o.stopped ? new Html(' class="problem"') : ''}><td data-label="Order"><strong>${o.customOrderNumber}</strong></td><td data-label="Customer">${o.customerName}</td><td data-label="Kits">${kitsInWords(o)}</td><td data-label="Garments" class="num">${o.garments}</td><td data-label="State">${stateOf(o)}</td></tr>`)}</tbody></table></div>
<h2>Garments per size</h2>
${sizesAcross(orders).map((kit) => html`<p><strong>${kit.name}</strong>: ${[...kit.sizes].map(([size, n]) => `${size || 'one size'} × ${n}`).join(', ')}</p>`)}
</div>`;
}
