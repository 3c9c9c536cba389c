import { jsonOf, prepare, runPrepared, type Db } from '../db/database';
import { successLogSql, type SuccessLog } from '../deliveries/log';
import { formatMinor } from '../shared/money';
import type { NewKit, ShopProduct } from './draft';
import { toSummary, type KitSummary } from './stored';

/**
 * Writing kits, and finding the kit of a delivery received before: the webhook's hot path. Each statement is
 * prepared once per connection and logs the delivery it serves in the same statement (one commit, not two).
 */

const SUMMARY_COLUMNS = `k.id, k.name, k.quantity, k.total::text as total, k.image_name, k.warnings,
  coalesce((
    select json_agg(json_build_object(
      'id', l.id::text, 'position', l.position, 'size', l.size, 'sku', l.sku, 'quantity', l.quantity,
      'unitPrice', l.unit_price::text, 'taxExempt', l.tax_exempt, 'nopProductId', n.nop_product_id, 'slug', n.slug)
      order by l.position)
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
  const wanted = lookups.map((lookup, i) => ({ i, delivery_hash: lookup.deliveryHash, log: lookup.log }));
  const rows = await runPrepared(db, FIND_DELIVERED_KITS, [JSON.stringify(wanted)]);
  const found = new Map(rows.map((row) => [Number(row.i), toSummary(row)]));
  return lookups.map((_, i) => found.get(i));
}

// Rows travel as JSON whose keys are the draft's own field names (see kitJson): a kit is one bind parameter
// however large its roster, and the statement is planned once.
const INSERT_KITS = prepare('insert_kits', `with input as (
    select * from jsonb_to_recordset($1::jsonb) as x(
      id text, "deliveryHash" text, "publicWebhookId" text, name text, "productName" text, "categoryName" text,
      "designName" text, html text, "declaredQuantity" int, "declaredUnitPrice" numeric, "declaredPrice" numeric,
      quantity int, total numeric, "unitWeight" numeric, "totalWeight" numeric, "enterTeams" boolean,
      "imageName" text, "imageBytes" int, warnings jsonb, lines jsonb, teams jsonb, units jsonb, log jsonb)),
  k as (
    insert into kits (id, delivery_hash, public_webhook_id, name, product_name, category_name, design_name, html,
                      declared_quantity, declared_unit_price, declared_price, quantity, total, unit_weight, total_weight,
                      enter_teams, image_name, image_bytes, warnings)
    select id, "deliveryHash", "publicWebhookId", name, "productName", "categoryName", "designName", html,
           "declaredQuantity", "declaredUnitPrice", "declaredPrice", quantity, total, "unitWeight", "totalWeight",
           "enterTeams", "imageName", "imageBytes", warnings
    from input
    -- one lock order for every statement: two batches sharing deliveries wait for each other, never deadlock
    order by "deliveryHash"
    on conflict (delivery_hash) do nothing
    returning id),
  ki as (select input.* from input join k using (id)),
  l as (
    insert into kit_lines (kit_id, position, size, quantity, sku, unit_price, tax_exempt)
    select ki.id, x.position, x.size, x.quantity, x.sku, x."unitPrice", x."taxExempt"
    from ki, jsonb_to_recordset(ki.lines) as x(position int, size text, quantity int, sku text, "unitPrice" numeric, "taxExempt" boolean)
    returning id, kit_id, position),
  t as (
    insert into kit_teams (kit_id, position, name)
    select ki.id, x.position, x.name from ki, jsonb_to_recordset(ki.teams) as x(position int, name text)
    returning id, kit_id, position),
  u as (
    insert into kit_units (team_id, line_id, position, name, number, size, sku, cart_price, tax_exempt)
    select t.id, l.id, x.position, x.name, x.number, x.size, x.sku, x."cartPrice", x."taxExempt"
    from ki cross join jsonb_to_recordset(ki.units) as x("teamPosition" int, "linePosition" int, position int, name text,
                                                          number text, size text, sku text, "cartPrice" numeric, "taxExempt" boolean)
    join t on t.kit_id = ki.id and t.position = x."teamPosition"
    left join l on l.kit_id = ki.id and l.position = x."linePosition"),
  d as (${successLogSql('created', '(select ki.id as kit_id, ki.log from ki)')})
  select k.id, coalesce((select json_agg(l.id::text order by l.position) from l where l.kit_id = k.id), '[]') as line_ids
  from k`);

/** A kit to write, with the log row of the delivery that brought it. */
export interface KitWrite {
  kit: NewKit;
  log: SuccessLog;
}

/**
 * Inserts kits with their lines, teams, units and their deliveries' log rows in one statement (atomic on its
 * own, one round trip, planned once per connection). Returns, for each kit in order, its line ids in line
 * order, or null if its delivery is already stored (a concurrent duplicate: nothing of it is written).
 */
export async function insertKits(db: Db, writes: readonly KitWrite[]): Promise<Array<string[] | null>> {
  const rows = await runPrepared(db, INSERT_KITS, [JSON.stringify(writes.map(kitJson))]);
  const lineIds = new Map(rows.map((row) => [String(row.id), jsonOf(row.line_ids) as string[]]));
  return writes.map(({ kit }) => lineIds.get(kit.id) ?? null);
}

/**
 * The draft as the statement reads it: the draft's own field names, money as decimal text, units flattened out
 * of teams. Spelled out field by field rather than with object rest and spread, which cost four times as much
 * here (measured under load: 2.6 % of the service's CPU against 0.6 %).
 */
function kitJson({ kit, log }: KitWrite) {
  const { draft } = kit;
  return {
    id: kit.id,
    deliveryHash: kit.deliveryHash,
    publicWebhookId: draft.publicWebhookId,
    name: draft.name,
    productName: draft.productName,
    categoryName: draft.categoryName,
    designName: draft.designName,
    html: draft.html,
    declaredQuantity: draft.declaredQuantity,
    declaredUnitPrice: formatMinor(draft.declaredUnitPrice),
    declaredPrice: formatMinor(draft.declaredPrice),
    quantity: draft.quantity,
    total: formatMinor(draft.total),
    unitWeight: draft.unitWeight,
    totalWeight: draft.totalWeight,
    enterTeams: draft.enterTeams,
    imageName: kit.image?.name ?? null,
    imageBytes: kit.image?.bytes ?? null,
    warnings: draft.warnings,
    lines: draft.lines.map((line) => ({
      position: line.position,
      size: line.size,
      quantity: line.quantity,
      sku: line.sku,
      unitPrice: formatMinor(line.unitPrice),
      taxExempt: line.taxExempt,
    })),
    teams: draft.teams.map((team) => ({ position: team.position, name: team.name })),
    units: draft.teams.flatMap((team) =>
      team.units.map((unit) => ({
        teamPosition: team.position,
        linePosition: unit.linePosition,
        position: unit.position,
        name: unit.name,
        number: unit.number,
        size: unit.size,
        sku: unit.sku,
        cartPrice: unit.cartPrice === null ? null : formatMinor(unit.cartPrice),
        taxExempt: unit.taxExempt,
      })),
    ),
    log,
  };
}

export async function appendKitWarnings(db: Db, kitId: string, warnings: string[]): Promise<void> {
  if (warnings.length === 0) return;
  await db('kits')
    .where({ id: kitId })
    .update({ warnings: db.raw('warnings || ?::jsonb', [JSON.stringify(warnings)]) });
}

/** Records which shop product sells each line. */
export async function insertLineProducts(db: Db, rows: Array<{ lineId: string } & ShopProduct>): Promise<void> {
  if (rows.length === 0) return;
  await db('kit_line_nop_products').insert(
    rows.map((row) => ({ line_id: row.lineId, nop_product_id: row.productId, slug: row.slug })),
  );
}
