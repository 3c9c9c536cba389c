import type { Logger } from 'pino';
import { newHolder, runQueueJob, type QueueJobDeps } from './job';

/**
 * The print queue's job every `intervalMs` (PRINT_QUEUE_INTERVAL_SECONDS, a minute by default) while kitbridge
 * runs with the nopCommerce adapter; one run at a time.
 */

const FIRST_RUN_MS = 5_000;

export function scheduleQueueJob(deps: QueueJobDeps, intervalMs: number, logger: Logger): { stop(): Promise<void> } {
  const holder = deps.holder ?? newHolder();
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = () => {
    running = runQueueJob({ ...deps, holder })
      .then((run) => {
        if (run.read + run.rechecked > 0) logger.info(run, 'print queue read the shop');
      })
      .catch((error: Error) => logger.warn({ err: { message: error.message }, retryInSeconds: intervalMs / 1000 }, 'print queue could not read the shop; trying again'))
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(tick, intervalMs).unref();
      });
  };
  timer = setTimeout(tick, Math.min(FIRST_RUN_MS, intervalMs)).unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
