import type { DeliveryRow } from '../../deliveries/store';
import { admin } from '../client';
import { count, required, show, UsageError, type Command } from '../command';

export const deliveries: Command = {
  name: 'deliveries',
  summary: 'list what arrived (--failed, --since 24h|ISO date, --limit N)',
  help: `kitbridge deliveries [--failed] [--since 24h|7d|2026-11-01T00:00:00Z] [--limit 100] [--json]

Newest first: id, time, outcome, HTTP status, source address, kit or problem. --failed: only failed and rejected ones.`,
  options: { failed: { type: 'boolean' }, since: { type: 'string' }, limit: { type: 'string' } },
  async run(context, _, values) {
    const query = new URLSearchParams();
    if (values.failed) query.set('failed', 'true');
    if (typeof values.since === 'string') query.set('since', sinceOf(values.since));
    query.set('limit', String(count(values.limit, 'limit', 100)));
    const answer = await admin<{ deliveries: DeliveryRow[] }>(context, 'GET', `/admin/deliveries?${query}`);
    return show(context, answer, ({ deliveries: rows }) =>
      rows.length === 0
        ? 'No deliveries.'
        : rows
            .map((d) => `${d.id.padStart(6)}  ${d.receivedAt}  ${d.outcome.padEnd(9)} ${d.status}  ${d.remoteAddress.padEnd(15)}  ${d.kitId ?? d.problem?.code ?? ''}`)
            .join('\n'),
    );
  },
};

export const delivery: Command = {
  name: 'delivery',
  summary: 'one delivery: when, from where, outcome, kit, warnings, problem',
  help: `kitbridge delivery <id> [--json]

Everything recorded about one delivery: when, from where, outcome, the product it made, warnings, the problem returned.`,
  async run(context, [id]) {
    const row = await admin<DeliveryRow>(context, 'GET', `/admin/deliveries/${encodeURIComponent(required(id, 'id'))}`);
    return show(context, row, describeDelivery);
  },
};

/** "24h", "7d", "30m" or an ISO date, as an ISO timestamp. */
function sinceOf(value: string): string {
  const relative = /^(\d{1,5})([mhd])$/.exec(value);
  if (relative) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 'm' | 'h' | 'd'];
    return new Date(Date.now() - Number(relative[1]) * unit).toISOString();
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--since must be like 24h, 7d or an ISO date, not "${value}".`);
  return date.toISOString();
}

function describeDelivery(d: DeliveryRow): string {
  return [
    `Delivery ${d.id}${d.replayOf ? ` (replay of ${d.replayOf})` : ''}`,
    `  received  ${d.receivedAt} from ${d.remoteAddress} (request ${d.requestId}, ${d.bodyBytes} bytes, ${d.durationMs} ms)`,
    `  outcome   ${d.outcome} (HTTP ${d.status})`,
    d.kitId ? `  kit       ${d.kitId}` : null,
    ...d.warnings.map((w) => `  warning   ${w}`),
    d.problem ? `  problem   ${d.problem.code}: ${d.problem.detail ?? d.problem.title}` : null,
    ...(d.problem?.errors ?? []).map((e) => `            ${e.path}: ${e.message}`),
    d.replayable ? `  replay    kitbridge replay ${d.id}` : null,
  ]
    .filter(Boolean)
    .join('\n');
}
