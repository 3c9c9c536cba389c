import type { Context } from 'koa';
import { z } from 'zod';
import type { Db } from '../db/database';
import { AppError } from '../http/errors';
import { parseInput } from '../http/validation';
import { kitIdsOfShopProducts } from '../kits/read';
import { imagePath } from '../kits/links';
import { toCsv } from '../shared/csv';
import { Html, html } from '../shared/html';
import type { ConsoleRouter } from './guard';
import { consoleKitPath, loadKit, type KitContent } from './kits';
import { kitSubtitle, plural, warningList } from './layout';
import type { NopCommerceAdapter } from '../nopcommerce/adapter';
import { sendPage } from './respond';
import { buildSheet, csvRows, CSV_HEADER, type Grouping, type SheetGroup } from './sheet';

/** Print sheets for the print room (a page per size or per team) and their CSV, for a kit or a whole order. */

export interface SheetPageDeps {
  db: Db;
  /** the shop's orders, with the nopCommerce adapter */
  orders?: Pick<NopCommerceAdapter, 'order'>;
}

const sheetQuery = z.object({ by: z.enum(['size', 'team']).default('size') });
const orderId = z.object({ id: z.string().regex(/^\d{1,9}$/, 'must be an order id').transform(Number) });

export function sheetPages(router: ConsoleRouter, deps: SheetPageDeps): void {
  router.get('/console/kits/:id/sheet', async (ctx) => {
    const { by } = parseInput(sheetQuery, ctx.query);
    const content = await loadKit(deps.db, ctx.params.id!);
    const base = `${consoleKitPath(content.kit.id)}/sheet`;
    const back = html`<a href="${consoleKitPath(content.kit.id)}">Back to the kit</a>`;
    sendPage(ctx, { title: `Print sheet: ${content.kit.name}`, section: 'kits', body: renderSheets(content.kit.name, [content], by, base, back) });
  });

  router.get('/console/kits/:id/sheet.csv', async (ctx) => {
    const content = await loadKit(deps.db, ctx.params.id!);
    sendCsv(ctx, `kit-${content.kit.name}`, [content]);
  });

  if (!deps.orders) return;
  const orders = deps.orders;
  const orderKits = async (ctx: Context) => {
    const { id } = parseInput(orderId, ctx.params);
    const order = await orders.order(id);
    if (!order) throw new AppError('not-found', `The shop has no order ${id}.`);
    const kitIds = await kitIdsOfShopProducts(deps.db, order.productIds);
    if (kitIds.length === 0) throw new AppError('not-found', `Order ${order.customOrderNumber} holds no kit of kitbridge's.`);
    return { order, kits: await Promise.all(kitIds.map((kitId) => loadKit(deps.db, kitId))) };
  };

  router.get('/console/orders/:id/sheet', async (ctx) => {
    const { by } = parseInput(sheetQuery, ctx.query);
    const { order, kits } = await orderKits(ctx);
    const title = `Order ${order.customOrderNumber}`;
    const back = html`Kits: ${kits.map((k, i) => html`${i ? ', ' : ''}<a href="${consoleKitPath(k.kit.id)}">${k.kit.name}</a>`)}`;
    sendPage(ctx, { title: `Print sheet: ${title}`, section: 'kits', body: renderSheets(title, kits, by, `/console/orders/${order.orderId}/sheet`, back) });
  });

  router.get('/console/orders/:id/sheet.csv', async (ctx) => {
    const { order, kits } = await orderKits(ctx);
    sendCsv(ctx, `order-${order.customOrderNumber}`, kits);
  });
}

// Letters NFKD does not take apart into a plain letter and a mark.
const LETTERS: Record<string, string> = { Æ: 'AE', æ: 'ae', Ø: 'O', ø: 'o', ß: 'ss', Œ: 'OE', œ: 'oe', Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Þ: 'Th', þ: 'th' };

/** The file name in ASCII for old clients, and in full (filename*) for the others. */
function sendCsv(ctx: Context, name: string, kits: KitContent[]): void {
  const ascii = name.replace(/[ÆæØøßŒœŁłĐđÞþ]/g, (c) => LETTERS[c]!).normalize('NFKD').replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80) || 'sheet';
  ctx.type = 'text/csv; charset=utf-8';
  ctx.set('Content-Disposition', `attachment; filename="${ascii}.csv"; filename*=UTF-8''${encodeURIComponent(`${name}.csv`)}`);
  ctx.body = toCsv(CSV_HEADER, kits.flatMap(({ kit, lines, teams }) => csvRows({ id: kit.id, name: kit.name, lines, teams })));
}

function renderSheets(title: string, kits: KitContent[], by: Grouping, base: string, back: Html): Html {
  const pages = kits.flatMap((content) => buildSheet(content, by).map((group, i) => ({ content, group, first: i === 0 })));
  const garments = pages.reduce((sum, page) => sum + page.group.count, 0);
  const ordered = kits.reduce((sum, { kit }) => sum + kit.quantity, 0);
  return html`<div class="no-print">
<h1>Print sheet: ${title}</h1>
<p class="bar"><a class="button${by === 'size' ? '' : ' secondary'}" href="${base}">One page per size</a>
<a class="button${by === 'team' ? '' : ' secondary'}" href="${base}?by=team">One page per team</a>
<a class="button secondary" href="${base}.csv">Download CSV</a>
<button type="button" data-print hidden>Print</button></p>
<p>${plural(garments, 'garment')} on ${plural(pages.length, 'page')}${garments === ordered ? '' : html`; <strong>the order has ${ordered}</strong> (see the warnings)`}. ${back}</p>
</div>
${pages.map(({ content, group, first }, i) => renderGroup(content, group, by, { first, page: i + 1, of: pages.length }))}`;
}

function renderGroup({ kit }: KitContent, group: SheetGroup, by: Grouping, at: { first: boolean; page: number; of: number }): Html {
  const other = by === 'size' ? 'Team' : 'Size';
  return html`<section class="sheet">
<div class="sheet-head">
${kit.imageName ? html`<img src="${imagePath(kit.imageName)}" alt="Design">` : ''}
<div><p><strong>${kit.name}</strong></p>
<p class="muted">${kitSubtitle(kit)}</p>
<h2>${by === 'size' ? 'Size' : 'Team'} ${group.title || 'one size'}</h2>
<p>${plural(group.count, 'garment')} · page ${at.page} of ${at.of}</p></div>
</div>
${at.first ? warningList(kit.warnings) : ''}
${group.warnings.map((w) => html`<p class="warn">${w}</p>`)}
<table>
<thead><tr><th>No.</th><th>Name</th><th>${other}</th>${by === 'size' ? '' : html`<th>SKU</th>`}</tr></thead>
<tbody>
${group.garments.map(
  (g) => html`<tr><td class="no">${g.number}</td><td>${g.name}</td><td>${by === 'size' ? g.team : g.size}</td>${by === 'size' ? '' : html`<td>${g.sku}</td>`}</tr>
`,
)}${group.unnamed.map(
  (u) => html`<tr><td class="no">–</td><td colspan="${by === 'size' ? 2 : 3}">${u.count} × without name or number${by === 'team' ? html` (size ${u.size || 'one size'}${u.sku ? `, SKU ${u.sku}` : ''})` : ''}</td></tr>
`,
)}</tbody>
<tfoot><tr><th colspan="${by === 'size' ? 2 : 3}">Garments</th><th class="num">${group.count}</th></tr></tfoot>
</table>
</section>
`;
}
