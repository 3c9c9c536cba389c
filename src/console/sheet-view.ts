import { imagePath } from '../kits/links';
import type { KitRow } from '../kits/stored';
import { showDirectionControls } from '../shared/bidi';
import { Html, html } from '../shared/html';
import { kitSubtitle, plural, warningList } from './layout';
import type { Grouping, SheetGroup } from './sheet';

/** A printed sheet: pages (a size's or a team's garments, of one kit each), as a kit's or orders' sheet has them. */

export interface SheetView {
  title: string;
  pages: Array<{ kit: KitRow; group: SheetGroup }>;
  /** the garments the kit or the order lines order, which the pages' counts are held against */
  ordered: number;
  by: Grouping;
  /** the sheet's address, for its other grouping and its CSV */
  base: string;
  /** links and facts under the count: the kit(s), the lines left off */
  about: Html;
  /** a column with each garment's order, for a sheet of several orders */
  orders?: boolean;
}

/**
 * Direction controls (shared/bidi.ts) in names that reach a sheet from a shop's order, or from a kit stored
 * before they were refused, are made visible on every page: they are never part of the markup itself.
 */
export function renderSheets(view: SheetView): Html {
  const { title, pages, ordered, by, base } = view;
  const garments = pages.reduce((sum, page) => sum + page.group.count, 0);
  const body = html`<div class="no-print">
<h1>Print sheet: ${title}</h1>
<p class="bar"><a class="button${by === 'size' ? '' : ' secondary'}" href="${base}">One page per size</a>
<a class="button${by === 'team' ? '' : ' secondary'}" href="${base}?by=team">One page per team</a>
<a class="button secondary" href="${base}.csv">Download CSV</a>
<button type="button" data-print hidden>Print</button></p>
<p>${plural(garments, 'garment')} on ${plural(pages.length, 'page')}${garments === ordered ? '' : html`; <strong>the order has ${ordered}</strong> (see the warnings)`}. ${view.about}</p>
</div>
${pages.map(({ kit, group }, i) => renderGroup(kit, group, view, { first: i === 0 || pages[i - 1]!.kit.id !== kit.id, page: i + 1, of: pages.length }))}`;
  return new Html(showDirectionControls(body.value));
}

function renderGroup(kit: KitRow, group: SheetGroup, view: SheetView, at: { first: boolean; page: number; of: number }): Html {
  const { by } = view;
  const other = by === 'size' ? 'Team' : 'Size';
  const order = (value: string | undefined) => (view.orders ? html`<td>${value}</td>` : '');
  const before = view.orders ? 3 : 2;
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
<thead><tr><th class="no">No.</th><th>Name</th>${view.orders ? html`<th>Order</th>` : ''}<th>${other}</th>${by === 'size' ? '' : html`<th>SKU</th>`}</tr></thead>
<tbody>
${group.garments.map(
  (g) => html`<tr><td class="no">${g.number}</td><td>${g.name}</td>${order(g.order)}<td>${by === 'size' ? g.team : g.size}</td>${by === 'size' ? '' : html`<td>${g.sku}</td>`}</tr>
`,
)}${group.unnamed.map(
  (u) => html`<tr><td class="no">–</td><td colspan="${by === 'size' ? before : before + 1}">${u.count} × without name or number${u.order && view.orders ? ` (order ${u.order})` : ''}${by === 'team' ? html` (size ${u.size || 'one size'}${u.sku ? `, SKU ${u.sku}` : ''})` : ''}</td></tr>
`,
)}</tbody>
<tfoot><tr><th colspan="${by === 'size' ? before : before + 1}">Garments</th><th class="num">${group.count}</th></tr></tfoot>
</table>
</section>
`;
}
