import type { KitDraft } from '../checkout/build';
import { idOf, jsonOf, prepare, runPrepared, type Db } from '../db/database';
import { successLogBindings, successLogSql, type SuccessLog } from '../deliveries/store';
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

/** What the product-link JSON needs of a stored kit, read in one query. */
export interface KitSummary {
  id: string;
  name: string;
  quantity: number;
  total: string;
  imageName: string | null;
  warnings: string[];
  lines: Array<Omit<LineRow, 'position'>>;
}

const SUMMARY_COLUMNS = `k.id, k.name, k.quantity, k.total::text as total, k.image_name, k.warnings,
  coalesce((
    select json_agg(json_build_object(
      'id', l.id::text, 'size', l.size, 'sku', l.sku, 'quantity', l.quantity, 'unitPrice', l.unit_price::text,
      'taxExempt', l.tax_exempt, 'nopProductId', n.nop_product_id, 'slug', n.slug) order by l.position)
    from kit_lines l left join kit_line_nop_products n on n.line_id = l.id where l.kit_id = k.id), '[]') as lines`;

const FIND_DELIVERED_KIT = prepare('find_delivered_kit', `with k as (select ${SUMMARY_COLUMNS} from kits k where k.delivery_hash = ?),
  d as (${successLogSql('duplicate', 'k')})
  select * from k`);

/**
 * The kit an earlier delivery of the same body stored, read in one statement that also logs this delivery as
 * its duplicate; undefined (and nothing logged) when there is none.
 */
export async function findDeliveredKit(db: Db, deliveryHash: string, log: SuccessLog): Promise<KitSummary | undefined> {
  const rows = await runPrepared(db, FIND_DELIVERED_KIT, [deliveryHash, ...successLogBindings(log)]);
  const row = rows[0];
  if (!row) return undefined;
  return {
    id: idOf(row.id),
    name: row.name,
    quantity: Number(row.quantity),
    total: String(row.total),
    imageName: row.image_name,
    warnings: jsonOf(row.warnings),
    lines: (jsonOf(row.lines) as SummaryLineJson[]).map((line) => ({
      id: line.id,
      size: line.size,
      sku: line.sku,
      quantity: Number(line.quantity),
      unitPrice: line.unitPrice,
      taxExempt: Boolean(line.taxExempt),
      nop: line.nopProductId === null ? null : { productId: Number(line.nopProductId), slug: line.slug! },
    })),
  };
}

interface SummaryLineJson {
  id: string;
  size: string;
  sku: string;
  quantity: number;
  unitPrice: string;
  taxExempt: boolean;
  nopProductId: number | null;
  slug: string | null;
}

const INSERT_KIT = prepare('insert_kit', `with k as (
    insert into kits (id, delivery_hash, public_webhook_id, name, product_name, category_name, design_name, html,
                      declared_quantity, declared_unit_price, declared_price, quantity, total, unit_weight, total_weight,
                      enter_teams, image_name, image_bytes, warnings)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?::int, ?::numeric, ?::numeric, ?::int, ?::numeric, ?::numeric, ?::numeric,
            ?::boolean, ?, ?::int, ?::jsonb)
    on conflict (delivery_hash) do nothing
    returning id),
  l as (
    insert into kit_lines (kit_id, position, size, quantity, sku, unit_price, tax_exempt)
    select k.id, x.position, x.size, x.quantity, x.sku, x.unit_price, x.tax_exempt
    from k, jsonb_to_recordset(?::jsonb) as x(position int, size text, quantity int, sku text, unit_price numeric, tax_exempt boolean)
    returning id, position),
  t as (
    insert into kit_teams (kit_id, position, name)
    select k.id, x.position, x.name from k, jsonb_to_recordset(?::jsonb) as x(position int, name text)
    returning id, position),
  u as (
    insert into kit_units (team_id, line_id, position, name, number, size, sku, cart_price, tax_exempt)
    select t.id, l.id, x.position, x.name, x.number, x.size, x.sku, x.cart_price, x.tax_exempt
    from jsonb_to_recordset(?::jsonb) as x(team_position int, line_position int, position int, name text, number text,
                                            size text, sku text, cart_price numeric, tax_exempt boolean)
    join t on t.position = x.team_position
    left join l on l.position = x.line_position),
  d as (${successLogSql('created', 'k')})
  select (select count(*) from k) as inserted,
         coalesce((select json_agg(l.id::text order by l.position) from l), '[]') as line_ids`);

export interface NewKit {
  id: string;
  deliveryHash: string;
  draft: KitDraft;
  image: { name: string; bytes: number } | null;
}

/**
 * Inserts the kit with its lines, teams, units and the delivery's log row in one statement (atomic on its own,
 * one round trip, planned once per connection), or nothing if the delivery is already stored (a concurrent
 * duplicate): returns null then, else the line ids in line order. Rows travel as JSON, so a roster of any size
 * needs no batching of bind parameters.
 */
export async function insertKit(db: Db, kit: NewKit, log: SuccessLog): Promise<string[] | null> {
  const { draft } = kit;
  const lines = draft.lines.map((line) => ({
    position: line.position,
    size: line.size,
    quantity: line.quantity,
    sku: line.sku,
    unit_price: formatMinor(line.unitPrice),
    tax_exempt: line.taxExempt,
  }));
  const teams = draft.teams.map((team) => ({ position: team.position, name: team.name }));
  const units = draft.teams.flatMap((team) =>
    team.units.map((unit) => ({
      team_position: team.position,
      line_position: unit.linePosition,
      position: unit.position,
      name: unit.name,
      number: unit.number,
      size: unit.size,
      sku: unit.sku,
      cart_price: unit.cartPrice === null ? null : formatMinor(unit.cartPrice),
      tax_exempt: unit.taxExempt,
    })),
  );
  const rows = await runPrepared(db, INSERT_KIT, [
    kit.id,
    kit.deliveryHash,
    draft.publicWebhookId,
    draft.name,
    draft.productName,
    draft.categoryName,
    draft.designName,
    draft.html,
    draft.declaredQuantity,
    formatMinor(draft.declaredUnitPrice),
    formatMinor(draft.declaredPrice),
    draft.quantity,
    formatMinor(draft.total),
    draft.unitWeight === null ? null : String(draft.unitWeight),
    draft.totalWeight === null ? null : String(draft.totalWeight),
    draft.enterTeams,
    kit.image?.name ?? null,
    kit.image?.bytes ?? null,
    JSON.stringify(draft.warnings),
    JSON.stringify(lines),
    JSON.stringify(teams),
    JSON.stringify(units),
    ...successLogBindings(log),
  ]);
  const row = rows[0];
  if (Number(row.inserted) === 0) return null;
  return jsonOf(row.line_ids);
}

export async function appendKitWarnings(db: Db, kitId: string, warnings: string[]): Promise<void> {
  if (warnings.length === 0) return;
  await db('kits')
    .where({ id: kitId })
    .update({ warnings: db.raw('warnings || ?::jsonb', [JSON.stringify(warnings)]) });
}

export async function insertLineNopProducts(
  db: Db,
  rows: Array<{ lineId: string; nopProductId: number; slug: string }>,
): Promise<void> {
  if (rows.length === 0) return;
  await db('kit_line_nop_products').insert(
    rows.map((row) => ({ line_id: row.lineId, nop_product_id: row.nopProductId, slug: row.slug })),
  );
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
    warnings: jsonOf(row.warnings),
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
