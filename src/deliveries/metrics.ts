import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { OUTCOMES, type Outcome } from './log';

// Seconds; webhook answers are expected in tens of milliseconds, image deliveries in hundreds.
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type Metrics = ReturnType<typeof createMetrics>;

/** The process's own metrics (event loop lag, heap, GC, handles, CPU): one set per process, however many apps. */
let processMetrics: Registry | undefined;
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}

/** The service's metrics since start, in Prometheus text format (what /metrics serves), with prom-client. */
export function createMetrics() {
  const registry = new Registry();
  const registers = [registry];
  const deliveries = new Counter({
    name: 'kitbridge_deliveries_total',
    help: 'Webhook deliveries by outcome since start.',
    labelNames: ['outcome'] as const,
    registers,
  });
  // One child per outcome, made once: every series is there from the start, and counting skips the label lookup.
  const byOutcome = new Map(OUTCOMES.map((outcome) => [outcome, deliveries.labels(outcome)]));
  for (const child of byOutcome.values()) child.inc(0);
  const failures = new Counter({
    name: 'kitbridge_delivery_failures_total',
    help: 'Deliveries that failed (5xx) or were rejected (4xx) since start, by problem code: the cause.',
    labelNames: ['outcome', 'code'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'kitbridge_delivery_duration_seconds',
    help: 'Time to answer a webhook delivery.',
    buckets: BUCKETS,
    registers,
  });
  const imageBytes = new Gauge({ name: 'kitbridge_image_bytes_stored', help: 'Bytes of kit images on disk.', registers });
  const kits = new Gauge({ name: 'kitbridge_kits', help: 'Kits stored.', registers });
  const announcements = new Gauge({
    name: 'kitbridge_print_room_announcements',
    help: 'Print room announcements in the outbox by state (pending, sent, failed), over every process: alert on failed.',
    labelNames: ['state'] as const,
    registers,
  });

  /** `code` is the problem code of a failed or rejected delivery. */
  function observeDelivery(outcome: Outcome, seconds: number, code?: string): void {
    byOutcome.get(outcome)!.inc();
    if (code) failures.inc({ outcome, code });
    duration.observe(seconds);
  }

  async function render(gauges: { imageBytes: number; kits: number; announcements: Record<string, number> }): Promise<string> {
    imageBytes.set(gauges.imageBytes);
    kits.set(gauges.kits);
    for (const [state, n] of Object.entries(gauges.announcements)) announcements.set({ state }, n);
    return Registry.merge([registry, processRegistry()]).metrics();
  }

  return { observeDelivery, render, contentType: registry.contentType };
}
