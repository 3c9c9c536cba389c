import { idOf, type Db } from '../db/database';
import type { Problem } from '../http/errors';
import { elapsedMs } from '../shared/time';

/**
 * The delivery log's row: every delivery that reached the webhook with a valid token, and what came of it.
 * Its columns are listed once, below; the two ways a row is written (by the statement that stores or finds a
 * kit, for successes, and by an insert of its own, for failures) and the way it is read are all made from
 * that list.
 */

export const OUTCOMES = ['created', 'duplicate', 'rejected', 'failed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface NewDelivery {
  requestId: string;
  remoteAddress: string;
  /** the delivery this one replays, for an operator's replay */
  replayOf: string | null;
  bodyBytes: number;
  bodySha256: string | null;
  durationMs: number;
  outcome: Outcome;
  status: number;
  kitId: string | null;
  problem: Omit<Problem, 'requestId'> | null;
  /** the bytes as they arrived, kept only for failures a replay can finish */
  body: Buffer | null;
}

/** Field → column and the type PostgreSQL reads it from JSON as. */
export const LOG_COLUMNS = {
  requestId: ['request_id', 'text'],
  remoteAddress: ['remote_address', 'text'],
  replayOf: ['replay_of', 'bigint'],
  bodyBytes: ['body_bytes', 'int'],
  bodySha256: ['body_sha256', 'text'],
  durationMs: ['duration_ms', 'int'],
  outcome: ['outcome', 'text'],
  status: ['status', 'int'],
  kitId: ['kit_id', 'text'],
  problem: ['problem', 'jsonb'],
  body: ['body', 'bytea'],
} as const satisfies Record<keyof NewDelivery, readonly [string, string]>;

/** Who sent a delivery and when it began: the parts of its log row known before its outcome. */
export interface Sender {
  requestId: string;
  remoteAddress: string;
  replayOf: string | null;
  /** process.hrtime.bigint() when the delivery began */
  startedAt: bigint;
}

/** What a successful delivery's statement is given of its log row; the statement adds outcome, status and kit. */
const SUCCESS_FIELDS = ['requestId', 'remoteAddress', 'replayOf', 'bodyBytes', 'bodySha256', 'durationMs'] as const;
export type SuccessLog = Pick<NewDelivery, (typeof SUCCESS_FIELDS)[number]> & { bodySha256: string };

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
 * SuccessLog as JSON in `log`. So one statement writes a kit, or finds it, together with its log row: one
 * commit, not two.
 */
export function successLogSql(outcome: 'created' | 'duplicate', source: string): string {
  const given = SUCCESS_FIELDS.map((field) => LOG_COLUMNS[field]);
  const { outcome: [outcomeColumn], status: [statusColumn], kitId: [kitColumn] } = LOG_COLUMNS;
  return `insert into deliveries (${given.map(([column]) => column).join(', ')}, ${outcomeColumn}, ${statusColumn}, ${kitColumn})
   select ${SUCCESS_FIELDS.map((field) => `x."${field}"`).join(', ')}, '${outcome}', 200, s.kit_id
   from ${source} as s, jsonb_to_record(s.log) as x(${SUCCESS_FIELDS.map((field, i) => `"${field}" ${given[i]![1]}`).join(', ')})`;
}

/** Writes a delivery's row on its own (the path of failures, whose outcome no kit statement records); its id. */
export async function insertDelivery(db: Db, delivery: NewDelivery): Promise<string> {
  const row = Object.fromEntries(
    (Object.keys(LOG_COLUMNS) as Array<keyof NewDelivery>).map((field) => {
      const [column, type] = LOG_COLUMNS[field];
      const value = delivery[field];
      return [column, type === 'jsonb' && value !== null ? JSON.stringify(value) : value];
    }),
  );
  const [inserted] = await db('deliveries').insert(row).returning('id');
  return idOf(inserted.id);
}
