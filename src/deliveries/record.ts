import type { Logger } from 'pino';
import type { Db } from '../db/database';
import { classify } from '../http/classify';
import { toProblem } from '../http/errors';
import { sha256Hex } from '../shared/hash';
import { elapsedMs } from '../shared/time';
import { insertDelivery, type Outcome, type Sender } from './log';
import type { Metrics } from './metrics';
import { purgeBodies, type BodyRetention } from './store';

export interface RecorderDeps {
  db: Db;
  logger: Logger;
  metrics: Metrics;
  /** failed deliveries' bodies are kept this long and this much in all */
  failedBodies: BodyRetention;
}

export interface Attempt extends Pick<Sender, 'requestId' | 'remoteAddress'> {
  replayOf?: string;
  /** the body's bytes, once they have been read (after the attempt) */
  body(): Buffer | undefined;
  /** the Content-Length, for bodies that were never read */
  declaredBytes: number;
}

/**
 * Runs one delivery attempt (the webhook's, or an operator's replay) and records what came of it in the
 * metrics and, for failures, in the delivery log (a success was logged by the statement that stored or found
 * its kit). Rethrows the attempt's error unchanged. A delivery log that cannot be written is logged, not
 * fatal: the client's answer must not depend on it.
 */
export async function recorded<R extends { created: boolean }>(
  deps: RecorderDeps,
  attempt: Attempt,
  run: (sender: Sender) => Promise<R>,
): Promise<R> {
  const sender: Sender = {
    requestId: attempt.requestId,
    remoteAddress: attempt.remoteAddress,
    replayOf: attempt.replayOf ?? null,
    startedAt: process.hrtime.bigint(),
  };
  let result: R;
  try {
    result = await run(sender);
  } catch (failure) {
    await recordFailure(deps, attempt, sender, failure);
    throw failure;
  }
  deps.metrics.observeDelivery(result.created ? 'created' : 'duplicate', elapsedMs(sender.startedAt) / 1000);
  return result;
}

async function recordFailure(deps: RecorderDeps, attempt: Attempt, sender: Sender, failure: unknown): Promise<void> {
  const durationMs = elapsedMs(sender.startedAt);
  const problem = toProblem(classify(failure));
  const outcome: Outcome = problem.status >= 500 ? 'failed' : 'rejected';
  deps.metrics.observeDelivery(outcome, durationMs / 1000);
  if (outcome === 'failed') deps.metrics.observeFailure(problem.code);
  const body = attempt.body();
  // A failure on our side (5xx) may succeed later: keep what is needed to replay it.
  const keepBody = outcome === 'failed' && body !== undefined;
  try {
    await insertDelivery(deps.db, {
      requestId: sender.requestId,
      remoteAddress: sender.remoteAddress,
      bodyBytes: body === undefined ? attempt.declaredBytes : body.length,
      bodySha256: body === undefined ? null : await sha256Hex(body),
      outcome,
      status: problem.status,
      durationMs: Math.round(durationMs),
      kitId: null,
      problem,
      body: keepBody ? body.toString('utf8') : null,
      replayOf: sender.replayOf,
    });
    if (keepBody) await purgeBodies(deps.db, deps.failedBodies);
  } catch (error) {
    deps.logger.warn({ requestId: sender.requestId, err: { message: (error as Error).message } }, 'delivery not recorded');
  }
}
