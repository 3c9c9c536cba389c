import type { Db } from '../db/database';

/** What the retention clean-up reads and removes of kitbridge's own kits. */

export interface ExpiredKit {
  id: string;
  name: string;
  createdAt: Date;
  imageName: string | null;
}

/** Kits created before `olderThan`: how many in all, and the next `limit` of them in id order after `after`. */
export async function expiredKits(
  db: Db,
  { olderThan, after, limit }: { olderThan: Date; after?: string; limit: number },
): Promise<{ total: number; kits: ExpiredKit[] }> {
  const expired = () => db('kits').where('created_at', '<', olderThan);
  const [{ n: total }] = await expired().count({ n: '*' });
  const query = expired().orderBy('id').limit(limit).select('id', 'name', 'created_at', 'image_name');
  if (after) query.where('id', '>', after);
  const rows = await query;
  return {
    total: Number(total),
    kits: rows.map((row) => ({ id: row.id, name: row.name, createdAt: new Date(row.created_at), imageName: row.image_name })),
  };
}

/** The shop products that sell the lines of these kits. */
export async function shopProductsOf(db: Db, kitIds: string[]): Promise<Array<{ kitId: string; productId: number }>> {
  if (kitIds.length === 0) return [];
  const rows = await db('kit_lines as l')
    .join('kit_line_nop_products as n', 'n.line_id', 'l.id')
    .whereIn('l.kit_id', kitIds)
    .select('l.kit_id', 'n.nop_product_id');
  return rows.map((row) => ({ kitId: row.kit_id, productId: Number(row.nop_product_id) }));
}

/**
 * Removes kits with their lines, teams and units (cascade), in one transaction. Returns which of their images
 * no remaining kit shows: those files may go (after this commits).
 */
export async function deleteKits(db: Db, kits: ExpiredKit[]): Promise<string[]> {
  const images = [...new Set(kits.map((kit) => kit.imageName).filter((name): name is string => name !== null))];
  return db.transaction(async (trx) => {
    await trx('kits').whereIn('id', kits.map((kit) => kit.id)).delete();
    const stillShown = await trx('kits').whereIn('image_name', images).distinct('image_name');
    const shown = new Set(stillShown.map((row) => row.image_name));
    return images.filter((name) => !shown.has(name));
  });
}
