import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * Preloaded into the measured service by bench/run.ts (`node -r`): on SIGUSR2 it writes how late its event
 * loop's timers ran since the last SIGUSR2 (ms; sampled every 5 ms, which the figures include) to stdout as one
 * JSON line, and starts over. That is how long any request, /healthz too, waited for the event loop, measured
 * inside the service, without the load generator's own delays.
 */
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
const ms = (ns: number) => Number((ns / 1e6).toFixed(1));
process.on('SIGUSR2', () => {
  const eventLoopDelay = { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) };
  process.stdout.write(`${JSON.stringify({ eventLoopDelay })}\n`);
  delay.reset();
});
