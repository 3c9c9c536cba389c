import { bytesOf, idOf, jsonOf, type Db } from '../db/database';
import { daysAgo } from '../shared/time';
import { LOG_COLUMNS, type NewDelivery, type Outcome } from './log';

/** Reading the delivery log, and dropping the bodies it keeps for replay. */

export interface DeliveryRow extends Omit<NewDelivery, 'body'> {
  id: string;
  receivedAt: string;
  /** the stored body is still there, so the delivery can be replayed */
  replayable: boolean;
  /** the kit's name, while the kit is kept */
  kitName: string | null;
  warnings: string[];
}

// Every logged column but the body, under its field name; then what the row is read with.
const LOGGED = Object.entries(LOG_COLUMNS)
  .filter(([field]) => field !== 'body')
  .map(([field, [column]]) => `d.${column} as ${field}`);

const selectDeliveries = (db: Db) =>
  db('deliveries as d')
    .leftJoin('kits as k', 'k.id', 'd.kit_id')
    .select('d.id', 'd.received_at as receivedAt', ...LOGGED, 'k.name as kitName', 'k.warnings', db.raw('d.body is not null as replayable'));

/** Types as pg and PGlite differ in them (ids, json) made the same. */
function toRow(row: Record<string, unknown>): DeliveryRow {
  return {
    id: idOf(row.id),
    receivedAt: new Date(row.receivedAt as string).toISOString(),
    requestId: String(row.requestId),
    remoteAddress: String(row.remoteAddress),
    bodyBytes: Number(row.bodyBytes),
    bodySha256: (row.bodySha256 as string | null) ?? null,
    outcome: row.outcome as Outcome,
    status: Number(row.status),
    durationMs: Number(row.durationMs),
    kitId: (row.kitId as string | null) ?? null,
    problem: jsonOf(row.problem) ?? null,
    replayOf: row.replayOf === null ? null : idOf(row.replayOf),
    replayable: Boolean(row.replayable),
    kitName: (row.kitName as string | null) ?? null,
    warnings: jsonOf(row.warnings) ?? [],
  };
}

export interface DeliveryFilter {
  /** only failed and rejected ones */
  failed?: boolean;
  outcome?: Outcome;
  since?: Date;
  /** only deliveries older than this one (the next page) */
  before?: string;
  limit: number;
}

/** Newest first. */
export async function listDeliveries(db: Db, filter: DeliveryFilter): Promise<DeliveryRow[]> {
  const query = selectDeliveries(db).orderBy('d.id', 'desc').limit(filter.limit);
  if (filter.failed) query.whereIn('d.outcome', ['failed', 'rejected']);
  if (filter.outcome) query.where('d.outcome', filter.outcome);
  if (filter.since) query.where('d.received_at', '>=', filter.since);
  if (filter.before) query.where('d.id', '<', filter.before);
  return (await query).map(toRow);
}

export async function findDelivery(db: Db, id: string): Promise<DeliveryRow | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const row = await selectDeliveries(db).where('d.id', id).first();
  return row ? toRow(row) : undefined;
}

/** The bytes of a delivery kept for replay, exactly as they arrived; null when none are kept. */
export async function deliveryBody(db: Db, id: string): Promise<Buffer | null> {
  const row = await db('deliveries').where({ id }).first('body');
  return bytesOf(row?.body ?? null);
}

export async function clearBody(db: Db, id: string): Promise<void> {
  await db('deliveries').where({ id }).update({ body: null });
}

/** How long, and how much in all, failed deliveries' bodies are kept for replay. */
export interface BodyRetention {
  days: number;
  maxBytes: number;
}

/** Drops stored bodies older than the retention, then the oldest beyond its byte budget. Returns how many. */
export async function purgeBodies(db: Db, retention: BodyRetention, now = Date.now()): Promise<number> {
  const old = await db('deliveries')
    .whereNotNull('body')
    .where('received_at', '<', daysAgo(retention.days, now))
    .update({ body: null });
  const overflow = await db.raw(
    `update deliveries set body = null where id in (
       select id from (
         select id, sum(body_bytes) over (order by id desc) as kept from deliveries where body is not null
       ) newest where kept > ?)`,
    [retention.maxBytes],
  );
  return old + Number(overflow.rowCount ?? overflow.affectedRows ?? 0);
}
