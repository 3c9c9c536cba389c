import type { Knex } from 'knex';
import { purgeBodies, type BodyRetention } from '../deliveries/store';
import type { ImageStore } from '../images/store';
import { deleteKits, expiredKits, shopProductsOf } from '../kits/retention';
import type { NopCommerceAdapter } from '../nopcommerce/adapter';
import { daysAgo } from '../shared/time';

export interface CleanupDeps {
  db: Knex;
  images: ImageStore;
  /** when the nopCommerce adapter is on: kits whose products were ordered are kept, the others' products retired */
  adapter?: Pick<NopCommerceAdapter, 'orderedProductIds' | 'retire'>;
}

export interface CleanupRequest {
  olderThan: Date;
  dryRun: boolean;
  /** resume after this kit id (the previous batch's `next`) */
  after?: string;
  limit: number;
}

export interface CleanupBatch {
  /** kits older than the cut-off in all, for progress */
  total: number;
  removed: Array<{ id: string; name: string; createdAt: string }>;
  kept: Array<{ id: string; name: string; reason: string }>;
  imagesRemoved: number;
  /** nopCommerce products of removed kits that were soft-deleted and scrubbed */
  productsRetired: number;
  /** pass as `after` for the next batch; null when done */
  next: string | null;
}

/**
 * One batch of the retention clean-up: kits created before `olderThan`, in id order after `after`. A kit goes
 * with its lines, teams and units and its image file when no other kit shows that image. Kits whose
 * nopCommerce products appear in an order are kept; if nopCommerce cannot be asked, the batch fails and
 * removes nothing.
 */
export async function cleanupBatch(deps: CleanupDeps, request: CleanupRequest): Promise<CleanupBatch> {
  const { total, kits } = await expiredKits(deps.db, request);
  const products = deps.adapter && kits.length > 0 ? await shopProductsOf(deps.db, kits.map((kit) => kit.id)) : [];
  const ordered = kitsSelling(products, deps.adapter ? await deps.adapter.orderedProductIds(unique(products)) : new Set());
  let removable = kits.filter((kit) => !ordered.has(kit.id));

  let imagesRemoved = 0;
  let productsRetired = 0;
  if (!request.dryRun && removable.length > 0) {
    if (deps.adapter) {
      // The shop's products first: if that fails, nothing is removed here and the next run tries again.
      const ids = new Set(removable.map((kit) => kit.id));
      const retirement = await deps.adapter.retire(unique(products.filter((p) => ids.has(p.kitId))));
      productsRetired = retirement.retired.length;
      // Ordered since the check above: keep those kits too.
      for (const kitId of kitsSelling(products, new Set(retirement.ordered))) ordered.add(kitId);
      removable = removable.filter((kit) => !ordered.has(kit.id));
    }
    const orphaned = await deleteKits(deps.db, removable);
    // After commit: a file left by a crash here is only disk space, never a broken page.
    for (const name of orphaned) await deps.images.remove(name);
    imagesRemoved = orphaned.length;
  }
  const kept = kits.filter((kit) => ordered.has(kit.id));
  return {
    total,
    removed: removable.map((kit) => ({ id: kit.id, name: kit.name, createdAt: kit.createdAt.toISOString() })),
    kept: kept.map((kit) => ({ id: kit.id, name: kit.name, reason: 'ordered in nopCommerce' })),
    imagesRemoved,
    productsRetired,
    next: kits.length === request.limit ? kits[kits.length - 1]!.id : null,
  };
}

const unique = (products: Array<{ productId: number }>) => [...new Set(products.map((p) => p.productId))];

/** The kits that sell any of these products. */
function kitsSelling(products: Array<{ kitId: string; productId: number }>, productIds: Set<number>): Set<string> {
  return new Set(products.filter((p) => productIds.has(p.productId)).map((p) => p.kitId));
}

/**
 * Runs every batch: what the daily retention job does, and the console's clean-up (which also lists, by
 * `onBatch`, what each batch removed or would remove).
 */
export async function cleanupAll(
  deps: CleanupDeps,
  olderThan: Date,
  { dryRun = false, onBatch }: { dryRun?: boolean; onBatch?: (batch: CleanupBatch) => void } = {},
) {
  let after: string | undefined;
  const summary = { removed: 0, kept: 0, imagesRemoved: 0, productsRetired: 0 };
  for (;;) {
    const batch = await cleanupBatch(deps, { olderThan, dryRun, after, limit: 200 });
    onBatch?.(batch);
    summary.removed += batch.removed.length;
    summary.kept += batch.kept.length;
    summary.imagesRemoved += batch.imagesRemoved;
    summary.productsRetired += batch.productsRetired;
    if (!batch.next) return summary;
    after = batch.next;
  }
}

/**
 * The daily job: drops failed-delivery bodies past their retention and, with RETENTION_DAYS, removes old kits
 * that were never ordered. Returns what it did, for the log.
 */
export async function housekeeping(
  deps: CleanupDeps,
  settings: { retentionDays?: number; failedBodies: BodyRetention },
  now = Date.now(),
) {
  const bodiesDropped = await purgeBodies(deps.db, settings.failedBodies, now);
  const kits = settings.retentionDays ? await cleanupAll(deps, daysAgo(settings.retentionDays, now)) : null;
  return { bodiesDropped, kits };
}
