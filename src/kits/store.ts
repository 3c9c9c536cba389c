import type { KitDraft } from '../webhook/build';
import { idOf, jsonOf, prepare, runPrepared, type Db } from '../db/database';
import { successLogJson, successLogSql, type SuccessLog } from '../deliveries/store';
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

const FIND_DELIVERED_KITS = prepare('find_delivered_kits', `with wanted as (
    select * from jsonb_to_recordset($1::jsonb) as x(i int, delivery_hash text, log jsonb)),
  -- One unique-index lookup per wanted delivery, as for a single one. "offset 0" keeps the planner from
  -- turning this into a join, for which a plan cached while the table was small scans every kit (measured:
  -- PostgreSQL CPU per duplicate 0.07 -> 0.89 ms as the bench's table grew).
  k as (select wanted.i, wanted.log, found.* from wanted cross join lateral (
          select ${SUMMARY_COLUMNS} from kits k where k.delivery_hash = wanted.delivery_hash offset 0) as found),
  d as (${successLogSql('duplicate', '(select k.id as kit_id, k.log from k)')})
  select * from k`);

/** A delivery to look up by its hash, with the log row it gets if it turns out to be a repeat. */
export interface KitLookup {
  deliveryHash: string;
  log: SuccessLog;
}

/**
 * For each lookup, the kit an earlier delivery of the same body stored, read in one statement that also logs
 * the lookup's delivery as its duplicate; undefined (and nothing logged) where there is none.
 */
export async function findDeliveredKits(db: Db, lookups: readonly KitLookup[]): Promise<Array<KitSummary | undefined>> {
  const wanted = lookups.map((lookup, i) => ({ i, delivery_hash: lookup.deliveryHash, log: successLogJson(lookup.log) }));
  const rows = await runPrepared(db, FIND_DELIVERED_KITS, [JSON.stringify(wanted)]);
  const found = new Map(rows.map((row) => [Number(row.i), toSummary(row)]));
  return lookups.map((_, i) => found.get(i));
}

function toSummary(row: Record<string, any>): KitSummary {
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

const INSERT_KITS = prepare('insert_kits', `with input as (
    select * from jsonb_to_recordset($1::jsonb) as x(
      id text, delivery_hash text, public_webhook_id text, name text, product_name text, category_name text,
      design_name text, html text, declared_quantity int, declared_unit_price numeric, declared_price numeric,
      quantity int, total numeric, unit_weight numeric, total_weight numeric, enter_teams boolean, image_name text,
      image_bytes int, warnings jsonb, lines jsonb, teams jsonb, units jsonb, log jsonb)),
  k as (
    insert into kits (id, delivery_hash, public_webhook_id, name, product_name, category_name, design_name, html,
                      declared_quantity, declared_unit_price, declared_price, quantity, total, unit_weight, total_weight,
                      enter_teams, image_name, image_bytes, warnings)
    select id, delivery_hash, public_webhook_id, name, product_name, category_name, design_name, html,
           declared_quantity, declared_unit_price, declared_price, quantity, total, unit_weight, total_weight,
           enter_teams, image_name, image_bytes, warnings
    from input
    -- one lock order for every statement: two batches sharing deliveries wait for each other, never deadlock
    order by delivery_hash
    on conflict (delivery_hash) do nothing
    returning id),
  ki as (select input.* from input join k using (id)),
  l as (
    insert into kit_lines (kit_id, position, size, quantity, sku, unit_price, tax_exempt)
    select ki.id, x.position, x.size, x.quantity, x.sku, x.unit_price, x.tax_exempt
    from ki, jsonb_to_recordset(ki.lines) as x(position int, size text, quantity int, sku text, unit_price numeric, tax_exempt boolean)
    returning id, kit_id, position),
  t as (
    insert into kit_teams (kit_id, position, name)
    select ki.id, x.position, x.name from ki, jsonb_to_recordset(ki.teams) as x(position int, name text)
    returning id, kit_id, position),
  u as (
    insert into kit_units (team_id, line_id, position, name, number, size, sku, cart_price, tax_exempt)
    select t.id, l.id, x.position, x.name, x.number, x.size, x.sku, x.cart_price, x.tax_exempt
    from ki cross join jsonb_to_recordset(ki.units) as x(team_position int, line_position int, position int, name text,
                                                          number text, size text, sku text, cart_price numeric, tax_exempt boolean)
    join t on t.kit_id = ki.id and t.position = x.team_position
    left join l on l.kit_id = ki.id and l.position = x.line_position),
  d as (${successLogSql('created', '(select ki.id as kit_id, ki.log from ki)')})
  select k.id, coalesce((select json_agg(l.id::text order by l.position) from l where l.kit_id = k.id), '[]') as line_ids
  from k`);

export interface NewKit {
  id: string;
  deliveryHash: string;
  draft: KitDraft;
  image: { name: string; bytes: number } | null;
}

/** A kit to write, with the log row of the delivery that brought it. */
export interface KitWrite {
  kit: NewKit;
  log: SuccessLog;
}

/**
 * Inserts kits with their lines, teams, units and their deliveries' log rows in one statement (atomic on its
 * own, one round trip, planned once per connection). Returns, for each kit in order, its line ids in line
 * order, or null if its delivery is already stored (a concurrent duplicate: nothing of it is written). Rows
 * travel as JSON, so any number of kits and rosters of any size need no batching of bind parameters.
 */
export async function insertKits(db: Db, writes: readonly KitWrite[]): Promise<Array<string[] | null>> {
  const rows = await runPrepared(db, INSERT_KITS, [JSON.stringify(writes.map(kitJson))]);
  const lineIds = new Map(rows.map((row) => [String(row.id), jsonOf(row.line_ids) as string[]]));
  return writes.map(({ kit }) => lineIds.get(kit.id) ?? null);
}

function kitJson({ kit, log }: KitWrite) {
  const { draft } = kit;
  return {
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
    warnings: draft.warnings,
    lines: draft.lines.map((line) => ({
      position: line.position,
      size: line.size,
      quantity: line.quantity,
      sku: line.sku,
      unit_price: formatMinor(line.unitPrice),
      tax_exempt: line.taxExempt,
    })),
    teams: draft.teams.map((team) => ({ position: team.position, name: team.name })),
    units: draft.teams.flatMap((team) =>
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
    ),
    log: successLogJson(log),
  };
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
