import type { NewDelivery } from '../../src/deliveries/log';

/** The delivery log's row of a delivery that failed on kitbridge's side, keeping `body` for replay. */
export const aFailedDelivery = (body: Buffer): NewDelivery => ({
  requestId: 'r',
  remoteAddress: '127.0.0.1',
  replayOf: null,
  bodyBytes: body.length,
  bodySha256: null,
  durationMs: 1,
  outcome: 'failed',
  status: 503,
  kitId: null,
  problem: null,
  body,
});
