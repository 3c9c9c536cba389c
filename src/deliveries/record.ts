import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../db/database';
import { classify } from '../http/classify';
import { toProblem } from '../http/errors';
import type { Receipt } from '../checkout/service';
import type { Metrics } from '../metrics/metrics';
import { insertDelivery, purgeBodies, type BodyRetention, type Outcome } from './store';

export interface RecorderDeps {
  db: Db;
  logger: Logger;
  metrics: Metrics;
  /** failed deliveries' bodies are kept this long and this much in all */
  failedBodies: BodyRetention;
}

export interface Attempt {
  requestId: string;
  remoteAddress: string;
  replayOf?: string;
  /** the raw body, once it has been read (after the attempt) */
  body(): string | undefined;
  /** the Content-Length, for bodies that were never read */
  declaredBytes: number;
}

/**
 * Runs one delivery attempt and records what came of it in the delivery log and the metrics, whatever happens.
 * Rethrows the attempt's error unchanged. A delivery log that cannot be written is logged, not fatal: the
 * client's answer must not depend on it.
 */
export async function recorded(deps: RecorderDeps, attempt: Attempt, run: () => Promise<Receipt>): Promise<Receipt> {
  const started = process.hrtime.bigint();
  let result: Receipt | undefined;
  let failure: unknown;
  try {
    result = await run();
  } catch (error) {
    failure = error;
  }
  const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
  const problem = failure === undefined ? null : toProblem(classify(failure));
  const outcome: Outcome = result ? (result.created ? 'created' : 'duplicate') : problem!.status >= 500 ? 'failed' : 'rejected';
  deps.metrics.observeDelivery(outcome, durationMs / 1000);
  const body = attempt.body();
  const keepBody = outcome === 'failed' && body !== undefined;
  try {
    await insertDelivery(deps.db, {
      requestId: attempt.requestId,
      remoteAddress: attempt.remoteAddress,
      bodyBytes: body === undefined ? attempt.declaredBytes : Buffer.byteLength(body),
      // A receipt already carries the body's hash: a large body is not hashed twice.
      bodySha256: result?.deliveryHash ?? (body === undefined ? null : createHash('sha256').update(body).digest('hex')),
      outcome,
      status: problem?.status ?? 200,
      durationMs: Math.round(durationMs),
      kitId: result?.link.id ?? null,
      problem,
      // A failure on our side (5xx) may succeed later: keep what is needed to replay it.
      body: keepBody ? body : null,
      replayOf: attempt.replayOf ?? null,
    });
    if (keepBody) await purgeBodies(deps.db, deps.failedBodies);
  } catch (error) {
    deps.logger.warn({ requestId: attempt.requestId, err: { message: (error as Error).message } }, 'delivery not recorded');
  }
  if (failure !== undefined) throw failure;
  return result!;
}
