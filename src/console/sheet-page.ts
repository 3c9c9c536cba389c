import type { Context } from 'koa';
import { z } from 'zod';
import type { Db } from '../db/database';
import { AppError } from '../http/errors';
import { parseInput } from '../http/validation';
import { showDirectionControls } from '../shared/bidi';
import { toCsv } from '../shared/csv';
import { Html, html } from '../shared/html';
import type { ConsoleRouter } from './guard';
import { consoleKitPath, loadKit } from './kits';
import { plural } from './layout';
import type { NopCommerceAdapter } from '../nopcommerce/adapter';
import { kitOrderLines, type OtherLine } from './order-lines';
import { buildOrderSheet, orderCsvRows, ORDER_CSV_HEADER } from './order-sheet';
import { sendPage } from './respond';
import { buildSheet, csvRows, CSV_HEADER } from './sheet';
import { renderSheets } from './sheet-view';

/** Print sheets for the print room (a page per size or per team) and their CSV, for a kit or for what an order bought. */

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
    const { kit, lines, teams } = await loadKit(deps.db, ctx.params.id!);
    const view = {
      title: kit.name,
      pages: buildSheet({ lines, teams }, by).map((group) => ({ kit, group })),
      ordered: kit.quantity,
      by,
      base: `${consoleKitPath(kit.id)}/sheet`,
      about: html`<a href="${consoleKitPath(kit.id)}">Back to the kit</a>`,
    };
    sendPage(ctx, { title: showDirectionControls(`Print sheet: ${kit.name}`), section: 'kits', body: renderSheets(view) });
  });

  router.get('/console/kits/:id/sheet.csv', async (ctx) => {
    const { kit, lines, teams } = await loadKit(deps.db, ctx.params.id!);
    sendCsv(ctx, `kit-${kit.name}`, CSV_HEADER, csvRows({ id: kit.id, name: kit.name, lines, teams }));
  });

  if (!deps.orders) return;
  const orders = deps.orders;
  const orderLines = async (ctx: Context) => {
    const { id } = parseInput(orderId, ctx.params);
    const order = await orders.order(id);
    if (!order) throw new AppError('not-found', `The shop has no order ${id}.`);
    const { lines, others } = await kitOrderLines(deps.db, [order]);
    if (lines.length === 0) throw new AppError('not-found', `Order ${order.customOrderNumber} holds no kit of kitbridge's.`);
    return { order, lines, others };
  };

  router.get('/console/orders/:id/sheet', async (ctx) => {
    const { by } = parseInput(sheetQuery, ctx.query);
    const { order, lines, others } = await orderLines(ctx);
    const title = `Order ${order.customOrderNumber}`;
    const kits = [...new Map(lines.map(({ kit }) => [kit.id, kit])).values()];
    const about = html`Kits: ${kits.map((kit, i) => html`${i ? ', ' : ''}<a href="${consoleKitPath(kit.id)}">${kit.name}</a>`)}.${leftOff(others)}`;
    const view = {
      title,
      pages: buildOrderSheet(lines, by).map((group) => ({ kit: group.kit, group })),
      ordered: lines.reduce((sum, line) => sum + line.quantity, 0),
      by,
      base: `/console/orders/${order.orderId}/sheet`,
      about,
    };
    sendPage(ctx, { title: showDirectionControls(`Print sheet: ${title}`), section: 'kits', body: renderSheets(view) });
  });

  router.get('/console/orders/:id/sheet.csv', async (ctx) => {
    const { order, lines } = await orderLines(ctx);
    sendCsv(ctx, `order-${order.customOrderNumber}`, ORDER_CSV_HEADER, orderCsvRows(lines));
  });
}

/** Lines of the order that are not kits are not printed; the print room hears of them. */
const leftOff = (others: OtherLine[]): Html =>
  others.length === 0
    ? html``
    : html` <strong>Not on this sheet:</strong> ${plural(others.length, 'other line')} (${plural(others.reduce((sum, o) => sum + o.quantity, 0), 'item')}) of products that are not kitbridge kits.`;

// Letters NFKD does not take apart into a plain letter and a mark.
const LETTERS: Record<string, string> = { Æ: 'AE', æ: 'ae', Ø: 'O', ø: 'o', ß: 'ss', Œ: 'OE', œ: 'oe', Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Þ: 'Th', þ: 'th' };

/** The file name in ASCII for old clients, and in full (filename*) for the others; direction controls shown. */
export function sendCsv(ctx: Context, name: string, header: readonly string[], rows: string[][]): void {
  const ascii = name.replace(/[ÆæØøßŒœŁłĐđÞþ]/g, (c) => LETTERS[c]!).normalize('NFKD').replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80) || 'sheet';
  ctx.type = 'text/csv; charset=utf-8';
  ctx.set('Content-Disposition', `attachment; filename="${ascii}.csv"; filename*=UTF-8''${encodeURIComponent(`${name}.csv`)}`);
  ctx.body = toCsv(header, rows.map((row) => row.map(showDirectionControls)));
}
