import type { Db } from '../db/database';

/**
 * One job at a time across kitbridge processes on one database: a lease on the feed's one row, taken and
 * renewed by short statements (never a transaction held while the shop is read: PGlite has one connection),
 * expiring by itself if its holder dies. Times are the database's, so the processes' clocks need not agree.
 */

const LEASE_SECONDS = 300;

/** Takes (or renews) the lease; the feed's high-water mark when this holder has it, else undefined. */
export async function takeLease(db: Db, holder: string): Promise<number | undefined> {
  const [row] = await db('print_queue_feed')
    .where({ id: 1 })
    .where((q) => q.whereNull('lease_until').orWhere('lease_until', '<', db.fn.now()).orWhere({ leased_by: holder }))
    .update({ leased_by: holder, lease_until: db.raw(`now() + interval '${LEASE_SECONDS} seconds'`) })
    .returning('after_order_id');
  return row ? Number(row.after_order_id) : undefined;
}

export async function releaseLease(db: Db, holder: string): Promise<void> {
  await db('print_queue_feed').where({ id: 1, leased_by: holder }).update({ leased_by: null, lease_until: null, last_run_at: db.fn.now() });
}

/** Moves the high-water mark, if this holder still has the lease (else throws: another process runs now). */
export async function advanceMark(db: Db, holder: string, afterOrderId: number): Promise<void> {
  const moved = await db('print_queue_feed').where({ id: 1, leased_by: holder }).update({ after_order_id: afterOrderId });
  if (moved !== 1) throw new Error('lost the print queue lease to another process');
}
