import type { Knex } from 'knex';
import { recorded, type RecorderDeps } from '../deliveries/record';
import { clearBody, deliveryBody, findDelivery } from '../deliveries/store';
import { AppError } from '../http/errors';
import type { ProductLink } from './link';
import type { Receipt, Receiver } from './receive';

export interface ReplayDeps {
  db: Knex;
  receiver: Receiver;
  recorder: RecorderDeps;
}

export interface Replay {
  replayOf: string;
  created: boolean;
  link: ProductLink;
}

/**
 * Runs a failed delivery again from its stored body, as a new delivery of its own in the log; a success drops
 * the stored body. Only failures (5xx: the database or the shop was down) are kept for replay.
 */
export async function replayDelivery(
  deps: ReplayDeps,
  id: string,
  request: { requestId: string; remoteAddress: string; baseUrl: string },
): Promise<Replay> {
  const delivery = await findDelivery(deps.db, id);
  if (!delivery) throw new AppError('not-found', `No delivery ${id}.`);
  const bytes = delivery.replayable ? await deliveryBody(deps.db, id) : null;
  if (bytes === null) {
    throw new AppError(
      'not-replayable',
      delivery.outcome === 'failed'
        ? `Delivery ${id}'s body is no longer kept (failed deliveries are kept ${deps.recorder.failedBodies.days} days, or until their space is needed).`
        : `Delivery ${id} was ${delivery.outcome}; only failed deliveries are replayed.`,
    );
  }
  const replay = await deliverBytes(deps, bytes, { ...request, replayOf: id });
  await clearBody(deps.db, id);
  return { replayOf: id, created: replay.created, link: replay.link };
}

/**
 * Runs bytes that did not arrive at the webhook (a stored body, the documentation's sample sent from the
 * console) through the webhook's use case, recorded in the delivery log like any delivery.
 */
export function deliverBytes(
  deps: Pick<ReplayDeps, 'receiver' | 'recorder'>,
  bytes: Buffer,
  request: { requestId: string; remoteAddress: string; baseUrl: string; replayOf?: string },
): Promise<Receipt> {
  return recorded(
    deps.recorder,
    { requestId: request.requestId, remoteAddress: request.remoteAddress, replayOf: request.replayOf, body: () => bytes, declaredBytes: 0 },
    (sender) => deps.receiver.receive(bytes, request.baseUrl, sender),
  );
}
