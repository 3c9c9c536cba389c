import { OUTCOMES, type Outcome } from './log';

// Seconds; webhook answers are expected in tens of milliseconds, image deliveries in hundreds.
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type Metrics = ReturnType<typeof createMetrics>;

/** The service's counters since start, in Prometheus text format (what /metrics serves). */
export function createMetrics() {
  const deliveries = new Map<Outcome, number>(OUTCOMES.map((outcome) => [outcome, 0]));
  const bucketCounts = BUCKETS.map(() => 0);
  let count = 0;
  let sum = 0;
  // Failed deliveries (5xx) by problem code, e.g. catalog-refused: the cause an operator must act on.
  const failures = new Map<string, number>();

  function observeDelivery(outcome: Outcome, seconds: number): void {
    deliveries.set(outcome, deliveries.get(outcome)! + 1);
    count += 1;
    sum += seconds;
    BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) bucketCounts[i]! += 1;
    });
  }

  function observeFailure(code: string): void {
    failures.set(code, (failures.get(code) ?? 0) + 1);
  }

  function render(gauges: { imageBytes: number; kits: number }): string {
    return [
      '# HELP kitbridge_deliveries_total Webhook deliveries by outcome since start.',
      '# TYPE kitbridge_deliveries_total counter',
      ...[...deliveries].map(([outcome, n]) => `kitbridge_deliveries_total{outcome="${outcome}"} ${n}`),
      '# HELP kitbridge_delivery_failures_total Failed deliveries (kept for replay) by problem code since start.',
      '# TYPE kitbridge_delivery_failures_total counter',
      ...[...failures].map(([code, n]) => `kitbridge_delivery_failures_total{code="${code}"} ${n}`),
      '# HELP kitbridge_delivery_duration_seconds Time to answer a webhook delivery.',
      '# TYPE kitbridge_delivery_duration_seconds histogram',
      ...BUCKETS.map((bound, i) => `kitbridge_delivery_duration_seconds_bucket{le="${bound}"} ${bucketCounts[i]}`),
      `kitbridge_delivery_duration_seconds_bucket{le="+Inf"} ${count}`,
      `kitbridge_delivery_duration_seconds_sum ${sum}`,
      `kitbridge_delivery_duration_seconds_count ${count}`,
      '# HELP kitbridge_image_bytes_stored Bytes of kit images on disk.',
      '# TYPE kitbridge_image_bytes_stored gauge',
      `kitbridge_image_bytes_stored ${gauges.imageBytes}`,
      '# HELP kitbridge_kits Kits stored.',
      '# TYPE kitbridge_kits gauge',
      `kitbridge_kits ${gauges.kits}`,
      '',
    ].join('\n');
  }

  return { observeDelivery, observeFailure, render };
}
