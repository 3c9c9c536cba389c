import type { KitDraft } from '../checkout/build';
import { idOf, type Db } from '../db/database';
import { formatMinor } from '../shared/money';

/** Data access for kitbridge's own product tables. Every function takes a knex or a transaction. */

export interface KitRow {
  id: string;
  name: string;
  productName: string;
  categoryName: string;
  designName: string;
  html: string;
  quantity: number;
  total: string;
  declaredPrice: string;
  imageName: string | null;
  warnings: string[];
  createdAt: Date;
}

export interface LineRow {
  id: string;
  position: number;
  size: string;
  quantity: number;
  sku: string;
  unitPrice: string;
  taxExempt: boolean;
  /** set when the nopCommerce catalog adapter made a product for the line */
  nop: { productId: number; slug: string } | null;
}

export interface TeamRow {
  name: string;
  units: Array<{ name: string; number: string; size: string; lineId: string | null }>;
}

export async function findKitIdByDeliveryHash(db: Db, deliveryHash: string): Promise<string | undefined> {
  const row = await db('kits').where({ delivery_hash: deliveryHash }).first('id');
  return row ? idOf(row.id) : undefined;
}

/**
 * Inserts the kit and everything under it, or nothing if the delivery is already stored (a concurrent
 * duplicate): returns null then, else the line ids in line order. Call inside a transaction.
 */
export async function insertKit(
  trx: Db,
  kit: { id: string; deliveryHash: string; draft: KitDraft; image: { name: string; bytes: number } | null },
): Promise<string[] | null> {
  const { draft } = kit;
  const inserted = await trx('kits')
    .insert({
      id: kit.id,
      delivery_hash: kit.deliveryHash,
      public_webhook_id: draft.publicWebhookId,
      name: draft.name,
      product_name: draft.productName,
      category_name: draft.categoryName,
      design_name: draft.designName,
      html: draft.html,
      declared_quantity: draft.declaredQuantity,
      declared_unit_price: formatMinor(draft.declaredUnitPrice),
      declared_price: formatMinor(draft.declaredPrice),
      quantity: draft.quantity,
      total: formatMinor(draft.total),
      unit_weight: draft.unitWeight === null ? null : String(draft.unitWeight),
      total_weight: draft.totalWeight === null ? null : String(draft.totalWeight),
      enter_teams: draft.enterTeams,
      image_name: kit.image?.name ?? null,
      image_bytes: kit.image?.bytes ?? null,
      warnings: JSON.stringify(draft.warnings),
    })
    .onConflict('delivery_hash')
    .ignore()
    .returning('id');
  if (inserted.length === 0) return null;

  const lineIds = await insertReturningIds(
    trx,
    'kit_lines',
    draft.lines.map((line) => ({
      kit_id: kit.id,
      position: line.position,
      size: line.size,
      quantity: line.quantity,
      sku: line.sku,
      unit_price: formatMinor(line.unitPrice),
      tax_exempt: line.taxExempt,
    })),
  );
  const teamIds = await insertReturningIds(
    trx,
    'kit_teams',
    draft.teams.map((team) => ({ kit_id: kit.id, position: team.position, name: team.name })),
  );
  const units = draft.teams.flatMap((team, teamIndex) =>
    team.units.map((unit) => ({
      team_id: teamIds[teamIndex],
      line_id: unit.linePosition === null ? null : lineIds[unit.linePosition],
      position: unit.position,
      name: unit.name,
      number: unit.number,
      size: unit.size,
      sku: unit.sku,
      cart_price: unit.cartPrice === null ? null : formatMinor(unit.cartPrice),
      tax_exempt: unit.taxExempt,
    })),
  );
  // Batches keep each statement well under PostgreSQL's 65,535 bind parameters.
  for (let i = 0; i < units.length; i += 1_000) await trx('kit_units').insert(units.slice(i, i + 1_000));
  return lineIds;
}

export async function appendKitWarnings(trx: Db, kitId: string, warnings: string[]): Promise<void> {
  if (warnings.length === 0) return;
  await trx('kits')
    .where({ id: kitId })
    .update({ warnings: trx.raw('warnings || ?::jsonb', [JSON.stringify(warnings)]) });
}

export async function insertLineNopProducts(
  trx: Db,
  rows: Array<{ lineId: string; nopProductId: number; slug: string }>,
): Promise<void> {
  if (rows.length === 0) return;
  await trx('kit_line_nop_products').insert(
    rows.map((row) => ({ line_id: row.lineId, nop_product_id: row.nopProductId, slug: row.slug })),
  );
}

/** Inserts rows in order and returns their ids in the same order. */
async function insertReturningIds(trx: Db, table: string, rows: object[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const returned: Array<{ id: unknown; position: number }> = await trx(table).insert(rows).returning(['id', 'position']);
  const byPosition = new Map(returned.map((r) => [r.position, idOf(r.id)]));
  return rows.map((row) => byPosition.get((row as { position: number }).position)!);
}

export async function findKit(db: Db, id: string): Promise<KitRow | undefined> {
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
    warnings: typeof row.warnings === 'string' ? JSON.parse(row.warnings) : row.warnings,
    createdAt: new Date(row.created_at),
  };
}

export async function findLines(db: Db, kitId: string): Promise<LineRow[]> {
  const rows = await db('kit_lines as l')
    .leftJoin('kit_line_nop_products as n', 'n.line_id', 'l.id')
    .where('l.kit_id', kitId)
    .orderBy('l.position')
    .select('l.*', 'n.nop_product_id', 'n.slug');
  return rows.map((row) => ({
    id: idOf(row.id),
    position: Number(row.position),
    size: row.size,
    quantity: Number(row.quantity),
    sku: row.sku,
    unitPrice: String(row.unit_price),
    taxExempt: Boolean(row.tax_exempt),
    nop: row.nop_product_id === null ? null : { productId: Number(row.nop_product_id), slug: row.slug },
  }));
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
