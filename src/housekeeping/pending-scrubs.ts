import type { Knex } from 'knex';
import type { NopCommerceAdapter } from '../nopcommerce/adapter';

/**
 * Retired nopCommerce products waiting for their roster to be scrubbed (nop_pending_scrubs), so that no shopper
 * can order a kit whose roster is half gone: nopCommerce may sell a product from its cache for
 * NOPCOMMERCE_CACHE_MINUTES after kitbridge soft-deleted it, and then it must be whole.
 */

// nopCommerce's cache entry may be made just as the product is deleted, and clocks differ: a little more.
const MARGIN_MINUTES = 5;

export type ScrubCatalog = Pick<NopCommerceAdapter, 'scrub' | 'cacheMinutes'>;

/** Noted before the products are retired: a crash between the two leaves a note, never an unscrubbed product. */
export async function notePendingScrubs(db: Knex, catalog: ScrubCatalog, productIds: number[], now = Date.now()): Promise<void> {
  if (productIds.length === 0) return;
  const scrubAfter = new Date(now + (catalog.cacheMinutes + MARGIN_MINUTES) * 60_000);
  await db('nop_pending_scrubs')
    .insert(productIds.map((id) => ({ product_id: id, scrub_after: scrubAfter })))
    .onConflict('product_id')
    .merge();
}

/** Scrubs the products whose time has come; products not retired after all (ordered, or not kitbridge's) are let go too. */
export async function scrubDue(db: Knex, catalog: ScrubCatalog, now = Date.now()): Promise<number> {
  const due = (await db('nop_pending_scrubs').where('scrub_after', '<=', new Date(now)).orderBy('product_id').limit(1000).pluck('product_id')).map(Number);
  if (due.length === 0) return 0;
  const { scrubbed } = await catalog.scrub(due);
  await db('nop_pending_scrubs').whereIn('product_id', due).delete();
  return scrubbed.length;
}
