import { z } from 'zod';
import { AppError } from '../http/errors';
import { parseInput } from '../http/validation';
import type { Db } from '../db/database';
import { storableText } from '../db/text';
import { findKit, findLines, findTeams, searchKits, SEARCH_LIMIT, type KitListing } from '../kits/read';
import { imagePath, kitPath } from '../kits/links';
import type { KitRow, StoredLine, TeamRow } from '../kits/stored';
import { Html, html } from '../shared/html';
import type { ConsoleRouter } from './guard';
import { kitSubtitle, money, plural, warningList, when } from './layout';
import type { NopCommerceAdapter } from '../nopcommerce/adapter';
import type { ProductOrder } from '../nopcommerce/orders';
import { sendPage } from './respond';

/** Finding a kit by its name, a team's or a player's, and a kit's page for the shop owner. */

export interface KitPageDeps {
  db: Db;
  currency?: string;
  /** SHOP_BASE_URL with the nopCommerce adapter: links to each product in the shop's admin */
  shopBaseUrl?: string;
  /** the shop's orders, with the nopCommerce adapter */
  orders?: Pick<NopCommerceAdapter, 'ordersOf'>;
}

const searchQuery = z.object({ q: storableText(200, 'must be at most 200 characters').default('') });

export interface KitContent {
  kit: KitRow;
  lines: StoredLine[];
  teams: TeamRow[];
}

/** A kit with its lines and roster; not-found when there is no such kit (or it was cleaned up). */
export async function loadKit(db: Db, id: string): Promise<KitContent> {
  const kit = await findKit(db, id);
  if (!kit) throw new AppError('not-found', 'There is no such kit (it may have been cleaned up).');
  const [lines, teams] = await Promise.all([findLines(db, kit.id), findTeams(db, kit.id)]);
  return { kit, lines, teams };
}

export const consoleKitPath = (id: string) => `/console/kits/${encodeURIComponent(id)}`;

export function kitPages(router: ConsoleRouter, deps: KitPageDeps): void {
  router.get('/console/kits', async (ctx) => {
    const { q } = parseInput(searchQuery, ctx.query);
    const kits = await searchKits(deps.db, q);
    sendPage(ctx, { title: q ? `Kits matching “${q}”` : 'Kits', section: 'kits', body: renderSearch(q, kits) });
  });

  router.get('/console/kits/:id', async (ctx) => {
    const content = await loadKit(deps.db, ctx.params.id!);
    const productIds = content.lines.flatMap((line) => (line.nop ? [line.nop.productId] : []));
    const orders = deps.orders && productIds.length ? await deps.orders.ordersOf(productIds) : [];
    sendPage(ctx, { title: content.kit.name, section: 'kits', body: renderKit(content, deps, orders) });
  });
}

function renderSearch(q: string, kits: KitListing[]): Html {
  const intro = q
    ? kits.length === 0
      ? html`<p>No kit, team or player name contains “${q}”.</p>`
      : html`<p>${kits.length === SEARCH_LIMIT ? `The newest ${SEARCH_LIMIT} matches; add words to narrow them down.` : `${plural(kits.length, 'matching kit')}, newest first.`}</p>`
    : html`<p>The newest kits. Search by a kit's name, a team's name or a player's name.</p>`;
  return html`<h1>Kits</h1>
<form method="get" action="/console/kits" class="bar" role="search">
<label>Kit, team or player<br><input type="search" name="q" value="${q}" maxlength="200" autofocus></label>
<button type="submit">Search</button>
</form>
${intro}
${kits.length ? html`<div class="scroll"><table class="cards">
<thead><tr><th>Kit</th><th>Matched</th><th class="num">Garments</th><th>Received</th></tr></thead>
<tbody>${kits.map(
  (k) => html`<tr><td data-label="Kit"><a href="${consoleKitPath(k.id)}">${k.name}</a></td>
<td data-label="Matched">${k.matches.map((m) => html`<div>${m.player ? html`${m.player.number ? `#${m.player.number} ` : ''}${m.player.name} <span class="muted">(${m.team || 'team'})</span>` : html`team ${m.team}`}</div>`)}</td>
<td data-label="Garments" class="num">${k.quantity}</td><td data-label="Received">${when(k.createdAt)}</td></tr>
`,
)}</tbody></table></div>` : ''}`;
}

function renderKit({ kit, lines, teams }: KitContent, deps: KitPageDeps, orders: ProductOrder[]): Html {
  const id = encodeURIComponent(kit.id);
  const hasProducts = lines.some((line) => line.nop);
  return html`<h1>${kit.name}</h1>
<p class="muted">${kitSubtitle(kit)} · received ${when(kit.createdAt)}</p>
<p class="bar"><a class="button" href="/console/kits/${id}/sheet">Print sheet per size</a>
<a class="button secondary" href="/console/kits/${id}/sheet?by=team">Print sheet per team</a>
<a class="button secondary" href="/console/kits/${id}/sheet.csv">CSV for lettering</a>
<a class="button secondary" href="${kitPath(kit.id)}">Public kit page</a></p>
${kit.imageName ? html`<img class="kit" src="${imagePath(kit.imageName)}" alt="The kit's design">` : html`<p class="muted">This kit came without an image.</p>`}
${warningList(kit.warnings, 'Warnings')}
<h2>Lines</h2>
<div class="scroll"><table>
<thead><tr><th>Size</th><th>SKU</th><th class="num">Quantity</th><th class="num">Unit price</th><th>Tax exempt</th>${hasProducts ? html`<th>nopCommerce product</th>` : ''}</tr></thead>
<tbody>${lines.map(
  (line) => html`<tr><td>${line.size || 'One size'}</td><td>${line.sku}</td><td class="num">${line.quantity}</td><td class="num">${money(line.unitPrice, deps.currency)}</td><td>${line.taxExempt ? 'yes' : 'no'}</td>${hasProducts ? html`<td>${line.nop ? shopProduct(line.nop.productId, deps.shopBaseUrl) : '–'}</td>` : ''}</tr>`,
)}</tbody>
<tfoot><tr><th colspan="2">Total</th><th class="num">${kit.quantity}</th><th class="num">${money(kit.total, deps.currency)}</th><th colspan="${hasProducts ? 2 : 1}"></th></tr></tfoot>
</table></div>
${deps.orders && hasProducts ? renderOrders(lines, orders) : ''}
<h2>Roster</h2>
${teams.length === 0 ? html`<p class="muted">No roster: the kit has no team names or numbers.</p>` : teams.map(renderTeam)}`;
}

function shopProduct(productId: number, shopBaseUrl?: string): Html {
  return shopBaseUrl ? html`<a href="${shopBaseUrl}/Admin/Product/Edit/${productId}">${productId}</a>` : html`${productId}`;
}

function renderOrders(lines: StoredLine[], orders: ProductOrder[]): Html {
  if (orders.length === 0) return html`<h2>Orders</h2><p>None of this kit's products has been ordered yet.</p>`;
  const byOrder = new Map<number, { order: ProductOrder; sizes: string[] }>();
  for (const o of orders) {
    const entry = byOrder.get(o.orderId) ?? { order: o, sizes: [] };
    entry.sizes.push(...lines.filter((line) => line.nop?.productId === o.productId).map((line) => line.size || 'one size'));
    byOrder.set(o.orderId, entry);
  }
  return html`<h2>Orders</h2>
<div class="scroll"><table class="cards">
<thead><tr><th>Order</th><th>Placed</th><th>Sizes</th><th></th></tr></thead>
<tbody>${[...byOrder.values()].map(
  ({ order, sizes }) => html`<tr><td data-label="Order">${order.customOrderNumber}</td><td data-label="Placed">${when(order.createdOnUtc)}</td><td data-label="Sizes">${sizes.join(', ')}</td>
<td><a href="/console/orders/${order.orderId}/sheet">Print sheet for the whole order</a></td></tr>`,
)}</tbody></table></div>`;
}

function renderTeam(team: TeamRow): Html {
  return html`<h3>${team.name || 'Team'} <span class="muted">(${team.units.length})</span></h3>
<div class="scroll"><table>
<thead><tr><th>Number</th><th>Name</th><th>Size</th></tr></thead>
<tbody>${team.units.map((unit) => html`<tr><td>${unit.number}</td><td>${unit.name}</td><td>${unit.size}</td></tr>`)}</tbody>
</table></div>`;
}
