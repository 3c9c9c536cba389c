import { idOf, jsonOf, type Db } from '../db/database';
import type { Problem } from '../http/errors';
import { daysAgo, elapsedMs } from '../shared/time';

/** Data access for the delivery log. */

export const OUTCOMES = ['created', 'duplicate', 'rejected', 'failed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface NewDelivery {
  requestId: string;
  remoteAddress: string;
  bodyBytes: number;
  bodySha256: string | null;
  outcome: Outcome;
  status: number;
  durationMs: number;
  kitId: string | null;
  problem: Omit<Problem, 'requestId'> | null;
  /** kept only for failures a replay can finish */
  body: string | null;
  replayOf: string | null;
}

export interface DeliveryRow extends Omit<NewDelivery, 'body'> {
  id: string;
  receivedAt: string;
  /** the stored body is still there, so the delivery can be replayed */
  replayable: boolean;
  warnings: string[];
}

/** Who sent a delivery and when it began: the parts of its log row known before its outcome. */
export interface Sender {
  requestId: string;
  remoteAddress: string;
  replayOf: string | null;
  /** process.hrtime.bigint() when the delivery began */
  startedAt: bigint;
}

/** A successful delivery's log row, written by the same statement that stores or finds its kit. */
export interface SuccessLog {
  requestId: string;
  remoteAddress: string;
  replayOf: string | null;
  bodyBytes: number;
  bodySha256: string;
  durationMs: number;
}

export function successLog(sender: Sender, bodyBytes: number, deliveryHash: string): SuccessLog {
  return {
    requestId: sender.requestId,
    remoteAddress: sender.remoteAddress,
    replayOf: sender.replayOf,
    bodyBytes,
    bodySha256: deliveryHash,
    durationMs: Math.round(elapsedMs(sender.startedAt)),
  };
}

/**
 * A CTE body logging a successful delivery for every row of `source`: a relation with a `kit_id` column and the
 * log's JSON (successLogJson) in `log`. One statement writes a kit, or finds it, together with its log row:
 * one commit, not two.
 */
export const successLogSql = (outcome: 'created' | 'duplicate', source: string) =>
  `insert into deliveries (request_id, remote_address, body_bytes, body_sha256, outcome, status, duration_ms, kit_id, replay_of)
   select x.request_id, x.remote_address, x.body_bytes, x.body_sha256, '${outcome}', 200, x.duration_ms, s.kit_id, x.replay_of
   from ${source} as s, jsonb_to_record(s.log) as x(request_id text, remote_address text, body_bytes int, body_sha256 text,
                                                      duration_ms int, replay_of bigint)`;

export const successLogJson = (log: SuccessLog) => ({
  request_id: log.requestId,
  remote_address: log.remoteAddress,
  body_bytes: log.bodyBytes,
  body_sha256: log.bodySha256,
  duration_ms: log.durationMs,
  replay_of: log.replayOf,
});

export async function insertDelivery(db: Db, delivery: NewDelivery): Promise<string> {
  const [row] = await db('deliveries')
    .insert({
      request_id: delivery.requestId,
      remote_address: delivery.remoteAddress,
      body_bytes: delivery.bodyBytes,
      body_sha256: delivery.bodySha256,
      outcome: delivery.outcome,
      status: delivery.status,
      duration_ms: delivery.durationMs,
      kit_id: delivery.kitId,
      problem: delivery.problem === null ? null : JSON.stringify(delivery.problem),
      body: delivery.body,
      replay_of: delivery.replayOf,
    })
    .returning('id');
  return idOf(row.id);
}

const COLUMNS = [
  'd.id',
  'd.received_at',
  'd.request_id',
  'd.remote_address',
  'd.body_bytes',
  'd.body_sha256',
  'd.outcome',
  'd.status',
  'd.duration_ms',
  'd.kit_id',
  'd.problem',
  'd.replay_of',
  'k.warnings',
];

function toRow(row: Record<string, unknown>): DeliveryRow {
  return {
    id: idOf(row.id),
    receivedAt: new Date(row.received_at as string).toISOString(),
    requestId: String(row.request_id),
    remoteAddress: String(row.remote_address),
    bodyBytes: Number(row.body_bytes),
    bodySha256: (row.body_sha256 as string | null) ?? null,
    outcome: row.outcome as Outcome,
    status: Number(row.status),
    durationMs: Number(row.duration_ms),
    kitId: (row.kit_id as string | null) ?? null,
    problem: jsonOf(row.problem) ?? null,
    replayOf: row.replay_of === null ? null : idOf(row.replay_of),
    replayable: Boolean(row.replayable),
    warnings: jsonOf(row.warnings) ?? [],
  };
}

const selectDeliveries = (db: Db) =>
  db('deliveries as d')
    .leftJoin('kits as k', 'k.id', 'd.kit_id')
    .select(...COLUMNS, db.raw('d.body is not null as replayable'));

/** Newest first. */
export async function listDeliveries(
  db: Db,
  filter: { failed?: boolean; since?: Date; limit: number },
): Promise<DeliveryRow[]> {
  const query = selectDeliveries(db).orderBy('d.id', 'desc').limit(filter.limit);
  if (filter.failed) query.whereIn('d.outcome', ['failed', 'rejected']);
  if (filter.since) query.where('d.received_at', '>=', filter.since);
  return (await query).map(toRow);
}

export async function findDelivery(db: Db, id: string): Promise<DeliveryRow | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const row = await selectDeliveries(db).where('d.id', id).first();
  return row ? toRow(row) : undefined;
}

export async function deliveryBody(db: Db, id: string): Promise<string | null> {
  const row = await db('deliveries').where({ id }).first('body');
  return row?.body ?? null;
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
