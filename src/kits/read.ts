import { idOf, jsonOf, type Db } from '../db/database';
import { isKitId } from './id';
import { toStoredLine, type KitRow, type StoredLine, type TeamRow } from './stored';

/** Reading stored kits for their pages and for the operator. Every function takes a knex or a transaction. */

export async function findKit(db: Db, id: string): Promise<KitRow | undefined> {
  if (!isKitId(id)) return undefined;
  const row = await db('kits').where({ id }).first();
  if (!row) return undefined;
  return {
    id: idOf(row.id),
    name: row.name,
    productName: row.product_name,
    categoryName: row.category_name,
    designName: row.design_name,
    html: row.html,
    quantity: Number(row.quantity),
    total: String(row.total),
    declaredPrice: String(row.declared_price),
    imageName: row.image_name,
    warnings: jsonOf(row.warnings),
    createdAt: new Date(row.created_at),
  };
}

export async function findLines(db: Db, kitId: string): Promise<StoredLine[]> {
  const rows = await db('kit_lines as l')
    .leftJoin('kit_line_nop_products as n', 'n.line_id', 'l.id')
    .where('l.kit_id', kitId)
    .orderBy('l.position')
    .select('l.id', 'l.position', 'l.size', 'l.quantity', 'l.sku', 'l.unit_price as unitPrice', 'l.tax_exempt as taxExempt',
      'n.nop_product_id as nopProductId', 'n.slug');
  return rows.map(toStoredLine);
}

/** The roster: every team in order, each with its units in order (a team may have none). */
export async function findTeams(db: Db, kitId: string): Promise<TeamRow[]> {
  const rows = await db('kit_teams as t')
    .leftJoin('kit_units as u', 'u.team_id', 't.id')
    .where('t.kit_id', kitId)
    .orderBy([{ column: 't.position' }, { column: 'u.position' }])
    .select('t.id as team_id', 't.name as team_name', 'u.id as unit_id', 'u.name', 'u.number', 'u.size', 'u.line_id');
  const teams = new Map<string, TeamRow>();
  for (const row of rows) {
    const teamId = idOf(row.team_id);
    if (!teams.has(teamId)) teams.set(teamId, { name: row.team_name, units: [] });
    if (row.unit_id === null) continue;
    teams.get(teamId)!.units.push({
      name: row.name,
      number: row.number,
      size: row.size,
      lineId: row.line_id === null ? null : idOf(row.line_id),
    });
  }
  return [...teams.values()];
}

export async function isImageReferenced(db: Db, imageName: string): Promise<boolean> {
  return Boolean(await db('kits').where({ image_name: imageName }).first('id'));
}

/** How many kits are stored, and the bytes of their distinct images. */
export async function kitStats(db: Db): Promise<{ kits: number; imageBytes: number }> {
  const [images] = await db
    .from(db('kits').whereNotNull('image_name').distinct('image_name', 'image_bytes').as('i'))
    .sum({ bytes: 'image_bytes' });
  const [kits] = await db('kits').count({ n: '*' });
  return { kits: Number(kits?.n ?? 0), imageBytes: Number(images?.bytes ?? 0) };
}
