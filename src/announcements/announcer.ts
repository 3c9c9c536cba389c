import type { Logger } from 'pino';
import type { Db } from '../db/database';
import { sheetUrlOf } from './message';
import { claimDue, settle, type Claimed, type Outcome } from './outbox';
import type { SendResult, Sender } from './sender';

/**
 * The sending job. Each row is claimed alone, for a lease far longer than a send takes (the webhook gives up
 * after 20 s, SMTP after 30 s without a connection or a minute without an answer), sent, and its outcome
 * recorded under that claim. What this guarantees: every queued row is sent until a receiver accepts it or it
 * is shown as failed; two senders never hold one row at once. What it cannot: a process that dies (or loses its
 * database) after the receiver accepted a message and before "sent" is recorded leaves the row to be sent again
 * once the lease runs out, with the same webhook-id and Message-ID, so a receiver that keeps those drops the
 * repeat. That window is one send, never more.
 */

export const LEASE_MS = 5 * 60_000;
const FIRST_RETRY_MS = 60_000;
/** rows one run sends at most; the rest wait for the next run */
const RUN_LIMIT = 20;

export interface AnnouncerDeps {
  db: Db;
  senders: readonly Sender[];
  logger: Logger;
  publicBaseUrl: string;
  /** attempts of a row before it is shown as failed */
  maxAttempts: number;
  now?: () => Date;
}

export interface RunSummary {
  sent: number;
  retrying: number;
  failed: number;
}

export type Announcer = ReturnType<typeof createAnnouncer>;

export function createAnnouncer(deps: AnnouncerDeps) {
  const now = deps.now ?? (() => new Date());
  return {
    /** Sends what is due now; the caller runs it on a timer (never two at once in one process). */
    runOnce: () => runOnce({ ...deps, now }),
    close: () => deps.senders.forEach((sender) => sender.close()),
  };
}

async function runOnce(deps: AnnouncerDeps & { now: () => Date }): Promise<RunSummary> {
  const summary: RunSummary = { sent: 0, retrying: 0, failed: 0 };
  // A channel that fails for a cause that may pass is left alone for the rest of the run: while the SMTP server
  // is down, one row finds out, not every row.
  let senders = [...deps.senders];
  for (let n = 0; n < RUN_LIMIT && senders.length > 0; n += 1) {
    const started = deps.now();
    const [row] = await claimDue(deps.db, senders.map((s) => s.channel), started, new Date(started.getTime() + LEASE_MS), 1);
    if (!row) break;
    const sender = senders.find((s) => s.channel === row.channel)!;
    const result = await send(sender, row, deps);
    const outcome = outcomeOf(result, row, deps.now(), deps.maxAttempts);
    if (!result.ok && !result.permanent) senders = senders.filter((s) => s !== sender);
    const kept = await settle(deps.db, row, outcome);
    report(deps.logger, row, outcome, kept);
    if (kept) summary[outcome.state === 'sent' ? 'sent' : outcome.state === 'pending' ? 'retrying' : 'failed'] += 1;
  }
  return summary;
}

function send(sender: Sender, row: Claimed, deps: AnnouncerDeps & { now: () => Date }): Promise<SendResult> {
  const announcement = { messageId: row.messageId, order: row.order, queuedAt: row.createdAt, sheetUrl: sheetUrlOf(deps.publicBaseUrl, row.orderId) };
  return sender.send(announcement, deps.now()).catch((error: Error) => ({ ok: false as const, cause: error.message, permanent: false }));
}

/** What an attempt's result means for its row: 1 minute, then doubling, until `maxAttempts`. */
export function outcomeOf(result: SendResult, row: Pick<Claimed, 'attempts'>, now: Date, maxAttempts: number): Outcome {
  if (result.ok) return { state: 'sent', at: now };
  if (result.permanent || row.attempts >= maxAttempts) return { state: 'failed', error: result.cause };
  const backoff = FIRST_RETRY_MS * 2 ** (row.attempts - 1);
  return { state: 'pending', dueAt: new Date(now.getTime() + Math.max(backoff, result.retryAfterMs ?? 0)), error: result.cause };
}

function report(logger: Logger, row: Claimed, outcome: Outcome, kept: boolean): void {
  const facts = { channel: row.channel, orderId: row.orderId, orderNumber: row.order.customOrderNumber, messageId: row.messageId, attempt: row.attempts };
  if (!kept) {
    logger.warn(facts, 'print room announcement: the lease ran out during the send and another sender took the row over; its outcome is that sender\'s');
  } else if (outcome.state === 'sent') {
    logger.info(facts, 'print room told of an order to print');
  } else if (outcome.state === 'pending') {
    logger.warn({ ...facts, cause: outcome.error, nextAttemptAt: outcome.dueAt.toISOString() }, 'could not tell the print room of an order; will try again');
  } else {
    logger.error({ ...facts, cause: outcome.error }, 'gave up telling the print room of an order; it is listed as failed on the console\'s health page');
  }
}
