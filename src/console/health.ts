import { promises as fs } from 'node:fs';
import path from 'node:path';
import { databaseAnswers } from '../db/database';
import { listDeliveries } from '../deliveries/store';
import type { ImageStore } from '../images/store';
import { kitStats } from '../kits/read';
import type { NopCommerceAdapter } from '../nopcommerce/adapter';
import { FIXED_RATE_PROVIDER, type ShopTaxCheck } from '../nopcommerce/tax';
import { Html, html } from '../shared/html';
import { announcementSection, type AnnouncementDeps } from './announcements';
import { sessionOf, type ConsoleRouter } from './guard';
import { outcomeBadge, plural, when } from './layout';
import { sendPage } from './respond';

/** Is everything kitbridge needs there: its database, the shop's, disk space for images, deliveries arriving. */

export interface HealthPageDeps extends AnnouncementDeps {
  images: ImageStore;
  adapter?: Pick<NopCommerceAdapter, 'checkConnection'>;
  /** below this much free space (or a tenth of the disk) the page warns: the webhook refuses new images under it */
  minFreeDiskBytes: number;
}

export function healthPage(router: ConsoleRouter, deps: HealthPageDeps): void {
  router.get('/console/health', async (ctx) => {
    const [database, shop, disk, stats, [last], announcements] = await Promise.all([
      databaseAnswers(deps.db),
      shopConnection(deps.adapter),
      diskSpace(deps.images.dir, deps.minFreeDiskBytes),
      kitStats(deps.db).catch(() => undefined),
      listDeliveries(deps.db, { limit: 1 }).catch(() => []),
      announcementSection(deps, sessionOf(ctx).csrfToken).catch(
        (error: Error) => html`<h2 id="print-room">Print room announcements</h2><p class="error">cannot be read: ${error.message}</p>`,
      ),
    ]);
    const body = html`<h1>Health</h1>
<dl class="facts">
<dt>kitbridge's database</dt><dd>${database ? html`<span class="ok">answers</span>` : html`<span class="error">does not answer: deliveries get 503 and Kit Builder retries</span>`}</dd>
<dt>nopCommerce</dt><dd>${shop}</dd>
<dt>Image directory</dt><dd><code>${path.resolve(deps.images.dir)}</code><br>${disk}${stats ? html`<br>${plural(stats.kits, 'kit')} stored, their images ${size(stats.imageBytes)}` : ''}</dd>
<dt>Last delivery</dt><dd>${last ? html`<a href="/console/deliveries/${last.id}">${when(last.receivedAt)}</a> ${outcomeBadge(last.outcome)}` : 'none yet'}</dd>
</dl>
${announcements}`;
    sendPage(ctx, { title: 'Health', section: 'health', body });
  });
}

async function shopConnection(adapter: HealthPageDeps['adapter']): Promise<Html> {
  if (!adapter) return html`not in use (kits stay in kitbridge; <code>CATALOG=nopcommerce</code> turns it on)`;
  try {
    const { version, ...tax } = await adapter.checkConnection();
    return html`<span class="ok">connected</span>, nopCommerce ${version}<br>${taxInForce(tax)}`;
  } catch (error) {
    return html`<span class="error">cannot be reached: ${String((error as Error).message).slice(0, 300)}</span>`;
  }
}

/**
 * The tax settings kitbridge prices kits under, read from the shop just now (each delivery reads them again):
 * what a shop owner checks after changing them in nopCommerce's admin.
 */
function taxInForce({ tax, kitPricesIncludeTax, taxCategory, problems }: ShopTaxCheck): Html {
  const basis = (includes: boolean) => (includes ? 'including tax' : 'excluding tax');
  const provider = tax.provider === FIXED_RATE_PROVIDER && !tax.countryStateZip ? `fixed rate ${taxCategory.rate} % for tax category ${taxCategory.id}` : `${tax.provider || 'no tax provider'}${tax.countryStateZip ? ' by country/state/zip' : ''}`;
  const shown = `${basis(tax.displayType === 'IncludingTax')}${tax.allowCustomerDisplayType ? ' (customers may choose)' : ''}`;
  const pricing =
    kitPricesIncludeTax === tax.pricesIncludeTax
      ? 'written as Kit Builder sends them'
      : `converted at ${taxCategory.rate} %, so that the price ${basis(kitPricesIncludeTax)} is Kit Builder's to the cent`;
  return html`Tax: Kit Builder's prices ${basis(kitPricesIncludeTax)} (<code>KITBUILDER_PRICES_INCLUDE_TAX</code>); the shop's prices are entered ${basis(tax.pricesIncludeTax)}, shown ${shown}; ${provider}; rounding during calculation ${tax.roundDuringCalculation ? 'on' : 'off'}.<br>${
    problems.length > 0 ? html`<span class="error">Deliveries are refused: ${problems.join(' ')}</span>` : html`<span class="ok">Prices are ${pricing}.</span>`
  }`;
}

/** Free space where images are written; the directory appears with the first image, so ask its nearest parent. */
async function diskSpace(dir: string, floor: number): Promise<Html> {
  let at = path.resolve(dir);
  for (;;) {
    try {
      const stats = await fs.statfs(at);
      const free = stats.bavail * stats.bsize;
      const total = stats.blocks * stats.bsize;
      const text = `${size(free)} free of ${size(total)}`;
      return free < floor || free < total / 10 ? html`<span class="error">only ${text}</span>` : html`<span class="ok">${text}</span>`;
    } catch (error) {
      const parent = path.dirname(at);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === at) return html`<span class="error">cannot be read: ${(error as Error).message}</span>`;
      at = parent;
    }
  }
}

function size(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
