import type { Logger } from 'pino';
import { newHolder, runQueueJob, type QueueJobDeps } from './job';

/** The print queue's job every minute while kitbridge runs with the nopCommerce adapter; one run at a time. */

export const QUEUE_INTERVAL_MS = 60_000;
const FIRST_RUN_MS = 5_000;

export function scheduleQueueJob(deps: QueueJobDeps, logger: Logger): { stop(): Promise<void> } {
  const holder = deps.holder ?? newHolder();
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = () => {
    running = runQueueJob({ ...deps, holder })
      .then((run) => {
        if (run.read + run.rechecked > 0) logger.info(run, 'print queue read the shop');
      })
      .catch((error: Error) => logger.warn({ err: { message: error.message } }, 'print queue could not read the shop; trying again in a minute'))
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(tick, QUEUE_INTERVAL_MS).unref();
      });
  };
  timer = setTimeout(tick, FIRST_RUN_MS).unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
