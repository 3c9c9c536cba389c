import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { idOf, jsonOf, type Db } from '../db/database';
import type { ToPrintOrder } from '../print-queue/types';
import type { Channel } from './settings';

/**
 * The print room's outbox (migrations/20261202120000): rows are written in the transaction that makes an order
 * "to print", claimed by a sender for a lease, and marked sent, due again or failed by the claim that sent them.
 */

const TABLE = 'print_room_announcements';

export type OutboxState = 'pending' | 'sent' | 'failed';

export interface OutboxRow {
  id: string;
  orderId: number;
  channel: Channel;
  messageId: string;
  order: ToPrintOrder;
  state: OutboxState;
  attempts: number;
  dueAt: Date;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

/** The one column list: what every read returns, as `OutboxRow` names it. */
const COLUMNS = {
  id: 'id',
  orderId: 'order_id',
  channel: 'channel',
  messageId: 'message_id',
  order: 'order_summary',
  state: 'state',
  attempts: 'attempts',
  dueAt: 'due_at',
  lastError: 'last_error',
  createdAt: 'created_at',
  sentAt: 'sent_at',
} as const satisfies Record<keyof OutboxRow, string>;
const RETURNING = Object.values(COLUMNS).map((column) => `"${column}"`).join(', ');

function rowOf(raw: Record<string, any>): OutboxRow {
  const date = (value: unknown) => (value === null ? null : new Date(value as string));
  return {
    id: idOf(raw.id),
    orderId: Number(raw.order_id),
    channel: raw.channel,
    messageId: raw.message_id,
    order: jsonOf(raw.order_summary),
    state: raw.state,
    attempts: Number(raw.attempts),
    dueAt: date(raw.due_at)!,
    lastError: raw.last_error,
    createdAt: date(raw.created_at)!,
    sentAt: date(raw.sent_at),
  };
}

/** Letters, digits, - and _: never a `.`, which the signed content uses as its separator. */
const newMessageId = () => `msg_${randomBytes(16).toString('base64url')}`;

/** One row per channel for the order, unless it has one already: an order is announced once, however often it is queued. */
export async function addToOutbox(trx: Knex.Transaction, order: ToPrintOrder, channels: readonly Channel[], now: Date): Promise<void> {
  if (channels.length === 0) return;
  const rows = channels.map((channel) => ({
    order_id: order.orderId,
    channel,
    message_id: newMessageId(),
    order_summary: JSON.stringify(order),
    due_at: now,
    created_at: now,
  }));
  await trx(TABLE).insert(rows).onConflict(['order_id', 'channel']).ignore();
}

/** When each channel was first configured (recorded now for a new one): orders placed before are not announced. */
export async function startPoints(db: Db, channels: readonly Channel[], now: Date): Promise<Map<Channel, Date>> {
  if (channels.length === 0) return new Map();
  await db('announcement_channels')
    .insert(channels.map((channel) => ({ channel, started_at: now })))
    .onConflict('channel')
    .ignore();
  const rows = await db('announcement_channels').whereIn('channel', channels).select('channel', 'started_at');
  return new Map(rows.map((row) => [row.channel as Channel, new Date(row.started_at)]));
}

export interface Claimed extends OutboxRow {
  /** fences this claim: a sender whose lease ran out cannot overwrite what the one after it recorded */
  claim: string;
}

/**
 * Claims up to `limit` due rows of these channels until `leaseUntil`, in one statement: SKIP LOCKED lets several
 * processes claim at once without waiting on or taking each other's rows. A row whose lease ran out (its sender
 * died) is due again. Each claim counts as an attempt, so a row that keeps killing its sender ends as failed.
 */
export async function claimDue(db: Db, channels: readonly Channel[], now: Date, leaseUntil: Date, limit: number): Promise<Claimed[]> {
  if (channels.length === 0) return [];
  const claim = randomBytes(12).toString('base64url');
  const { rows } = await db.raw(
    `with due as (
       select id from ${TABLE}
       where state = 'pending' and due_at <= ? and (claimed_until is null or claimed_until <= ?) and channel in (${channels.map(() => '?').join(', ')})
       order by due_at, id
       limit ?
       for update skip locked
     )
     update ${TABLE} set claimed_until = ?, claim = ?, attempts = ${TABLE}.attempts + 1
     from due where ${TABLE}.id = due.id
     returning ${RETURNING.replace(/"(\w+)"/g, `${TABLE}."$1"`)}`,
    [now, now, ...channels, limit, leaseUntil, claim],
  );
  return (rows as Array<Record<string, any>>).map((raw) => ({ ...rowOf(raw), claim })).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || Number(a.id) - Number(b.id));
}

export type Outcome = { state: 'sent'; at: Date } | { state: 'pending'; dueAt: Date; error: string } | { state: 'failed'; error: string };

/** Records what became of a claimed row; false when the claim was no longer this sender's (its lease ran out). */
export async function settle(db: Db, row: Claimed, outcome: Outcome): Promise<boolean> {
  const changes =
    outcome.state === 'sent'
      ? { state: 'sent', sent_at: outcome.at, last_error: null }
      : outcome.state === 'pending'
        ? { due_at: outcome.dueAt, last_error: outcome.error }
        : { state: 'failed', last_error: outcome.error };
  const updated = await db(TABLE).where({ id: row.id, claim: row.claim }).update({ ...changes, claimed_until: null, claim: null });
  return updated === 1;
}

/** A failed announcement, due again now with a fresh count of attempts; undefined when there is no such failed one. */
export async function sendAgain(db: Db, id: string, now: Date): Promise<OutboxRow | undefined> {
  const [raw] = await db(TABLE).where({ id, state: 'failed' }).update({ state: 'pending', attempts: 0, due_at: now }, Object.values(COLUMNS));
  return raw && rowOf(raw);
}

export async function failedAnnouncements(db: Db, limit: number): Promise<OutboxRow[]> {
  const rows = await db(TABLE).where({ state: 'failed' }).orderBy('id', 'desc').limit(limit).select(Object.values(COLUMNS));
  return rows.map(rowOf);
}

export async function outboxCounts(db: Db): Promise<Record<OutboxState, number>> {
  const rows: Array<{ state: OutboxState; n: unknown }> = await db(TABLE).groupBy('state').select('state').count({ n: '*' });
  const counts: Record<OutboxState, number> = { pending: 0, sent: 0, failed: 0 };
  for (const row of rows) counts[row.state] = Number(row.n);
  return counts;
}
