import { Html, html } from '../shared/html';
import type { ProductLink } from '../webhook/link';
import { consoleKitPath } from './kits';
import { money, warningList } from './layout';

/** What a delivery made (a replay, a test delivery): the product-link JSON as a shop owner reads it. */
export function renderReceipt(link: ProductLink, created: boolean): Html {
  const inShop = link.lines.some((line) => line.nopProductId !== undefined);
  return html`<p class="notice">${created ? 'Kit created.' : 'The kit already existed: this delivery had been received before, and got the same kit.'}</p>
<dl class="facts">
<dt>Kit</dt><dd><a href="${consoleKitPath(link.id)}">${link.name}</a></dd>
<dt>Garments</dt><dd>${link.quantity}</dd>
<dt>Total</dt><dd>${money(link.total, link.currency)}</dd>
<dt>Product link</dt><dd><a href="${link.url}">${link.url}</a></dd>
</dl>
<div class="scroll"><table>
<thead><tr><th>Size</th><th class="num">Quantity</th><th class="num">Unit price</th>${inShop ? html`<th>nopCommerce product</th>` : ''}</tr></thead>
<tbody>${link.lines.map((line) => html`<tr><td>${line.size || 'One size'}</td><td class="num">${line.quantity}</td><td class="num">${money(line.unitPrice, link.currency)}</td>${inShop ? html`<td>${line.nopProductId ?? '–'}</td>` : ''}</tr>`)}</tbody>
</table></div>
${warningList(link.warnings)}`;
}
