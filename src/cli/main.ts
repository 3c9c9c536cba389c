import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CleanupBatch } from '../housekeeping/cleanup';
import type { ProductLink } from '../webhook/link';
import { WEBHOOK_PATH } from '../webhook/routes';
import type { TokenRow } from '../webhook-tokens/store';
import type { DeliveryRow } from '../deliveries/store';
import type { Problem } from '../http/errors';
import { generateDelivery } from './generate';
import sample from './single-item-checkout.sample.json';

/** Where output goes, and the environment the CLI reads: injected so tests run it in-process. */
export interface Io {
  env: NodeJS.ProcessEnv;
  out(text: string): void;
  err(text: string): void;
}

/** JSON as the service sends it: dates as strings. */
type Wire<T> = { [K in keyof T]: T[K] extends Date | null ? string | null : T[K] extends Date ? string : T[K] };

class UsageError extends Error {}
class CommandError extends Error {}

interface Context {
  io: Io;
  json: boolean;
  server: string;
  adminToken?: string;
}

const HELP: Record<string, string> = {
  '': `kitbridge <command> [options]

Commands:
  send-sample [URL]        post a SingleItemCheckout to kitbridge as Kit Builder does
  deliveries               list what arrived (--failed, --since 24h|ISO date, --limit N)
  delivery <id>            one delivery: when, from where, outcome, kit, warnings, problem
  replay <id>              re-run a failed delivery now that its cause is gone
  tokens list|add|revoke   manage the secret webhook URLs without a restart
  cleanup --older-than 90d remove old kits that were never ordered (--dry-run to only list them)

Every command takes --json (machine-readable output) and --help. Commands other than send-sample use the
running service's admin API: set ADMIN_TOKEN (as for the service) and KITBRIDGE_URL (default
http://localhost:$PORT, PORT default 3000), or pass --server and --admin-token.`,
  'send-sample': `kitbridge send-sample [URL] [--file payload.json | --teams N --units M [--image]] [--json]

Posts the documentation's sample (or the file, or a generated kit of N teams with M players each, with a
random 1000x1000 PNG when --image) to URL, or to the local service's webhook with its token (WEBHOOK_TOKENS, or
the token generated in DATA_DIR), exactly as Kit Builder would. Prints the answer and the product link.`,
  deliveries: `kitbridge deliveries [--failed] [--since 24h|7d|2026-11-01T00:00:00Z] [--limit 100] [--json]

Newest first: id, time, outcome, HTTP status, source address, kit or problem. --failed: only failed and rejected ones.`,
  delivery: `kitbridge delivery <id> [--json]

Everything recorded about one delivery: when, from where, outcome, the product it made, warnings, the problem returned.`,
  replay: `kitbridge replay <id> [--json]

Re-runs a failed delivery from its stored body (kept FAILED_DELIVERY_RETENTION_DAYS days, default 14).`,
  tokens: `kitbridge tokens list [--json]
kitbridge tokens add [--label "why"] [--json]     prints the new URL to paste into Kit Builder's company page
kitbridge tokens revoke <id> [--json]             refused by the service within seconds

Tokens in WEBHOOK_TOKENS are configuration and are changed there.`,
  cleanup: `kitbridge cleanup --older-than 90d [--dry-run] [--json]

Removes kits older than the age (and their image files), except those whose nopCommerce products were ordered.
--dry-run lists what would be removed. Progress goes to stderr.`,
};

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  server: { type: 'string' },
  'admin-token': { type: 'string' },
  file: { type: 'string' },
  teams: { type: 'string' },
  units: { type: 'string' },
  image: { type: 'boolean' },
  failed: { type: 'boolean' },
  since: { type: 'string' },
  limit: { type: 'string' },
  label: { type: 'string' },
  'older-than': { type: 'string' },
  'dry-run': { type: 'boolean' },
} as const;

/** Runs one command; resolves with the process exit code (0 ok, 1 failed, 2 usage). */
export async function run(argv: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${HELP['']}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command = '', ...rest] = positionals;
  if (values.help || command === '' || command === 'help') {
    io.out(`${HELP[command === 'help' ? '' : command] ?? HELP['']}\n`);
    return command === '' && !values.help ? 2 : 0;
  }
  const context: Context = {
    io,
    json: Boolean(values.json),
    server: (values.server ?? io.env.KITBRIDGE_URL ?? `http://localhost:${io.env.PORT || 3000}`).replace(/\/+$/, ''),
    adminToken: values['admin-token'] ?? io.env.ADMIN_TOKEN,
  };
  try {
    switch (command) {
      case 'send-sample':
        return await sendSample(context, rest[0], values);
      case 'deliveries':
        return await deliveries(context, values);
      case 'delivery':
        return show(context, await admin<DeliveryRow>(context, 'GET', `/admin/deliveries/${encodeURIComponent(required(rest[0], 'id'))}`), describeDelivery);
      case 'replay':
        return show(context, await admin<{ replayOf: string; created: boolean; link: ProductLink }>(context, 'POST', `/admin/deliveries/${encodeURIComponent(required(rest[0], 'id'))}/replay`), (r) =>
          `Replayed delivery ${r.replayOf}: ${r.created ? 'kit created' : 'the kit already existed'}.\n${describeLink(r.link)}`,
        );
      case 'tokens':
        return await tokens(context, rest, values.label);
      case 'cleanup':
        return await cleanup(context, values);
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n\n${HELP[command] ?? HELP['']}\n`);
      return 2;
    }
    const message = error instanceof CommandError ? error.message : `Failed: ${(error as Error).message}`;
    io.err(`${message}\n`);
    return 1;
  }
}

const required = (value: string | undefined, name: string) => {
  if (!value) throw new UsageError(`Missing <${name}>.`);
  return value;
};

function show<T>(context: Context, value: T, human: (value: T) => string): number {
  context.io.out(context.json ? `${JSON.stringify(value, null, 2)}\n` : `${human(value)}\n`);
  return 0;
}

/** One call to the service; a problem answer becomes a CommandError carrying its detail. */
async function call(url: string, init: RequestInit): Promise<{ status: number; body: unknown }> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    throw new CommandError(`Cannot reach ${new URL(url).origin}: ${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message}. Is kitbridge running?`);
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body };
}

function problemText(status: number, answer: unknown): string {
  if (typeof answer !== 'object' || answer === null) return `HTTP ${status}`;
  const body = answer as Partial<Problem>;
  const fields = (body.errors ?? []).map((e) => `\n  ${e.path}: ${e.message}`).join('');
  return `HTTP ${status} ${body.code ?? ''}: ${body.detail ?? body.title ?? ''}${fields}`;
}

async function admin<T>(context: Context, method: string, pathAndQuery: string, body?: object): Promise<T> {
  if (!context.adminToken) throw new CommandError('Set ADMIN_TOKEN (the same as the service has) or pass --admin-token.');
  const { status, body: answer } = await call(context.server + pathAndQuery, {
    method,
    headers: { Authorization: `Bearer ${context.adminToken}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const problem = answer as Partial<Problem> | null;
  if (status === 404 && problem?.code === 'not-found' && !problem.detail) {
    throw new CommandError(`${context.server} has no admin API: start kitbridge with ADMIN_TOKEN set.`);
  }
  if (status >= 400) throw new CommandError(problemText(status, answer));
  return answer as T;
}

function localWebhookUrl(context: Context): string {
  const configured = context.io.env.WEBHOOK_TOKENS?.split(',')[0]?.trim();
  const dataDir = path.resolve(context.io.env.DATA_DIR || './data');
  let token = configured;
  if (!token) {
    try {
      token = readFileSync(path.join(dataDir, 'webhook-token'), 'utf8').trim();
    } catch {
      throw new CommandError(`No URL given, WEBHOOK_TOKENS is not set and ${path.join(dataDir, 'webhook-token')} cannot be read.`);
    }
  }
  return `${context.server}${WEBHOOK_PATH}/${token}`;
}

const count = (value: string | undefined, name: string, fallback: number) => {
  if (value === undefined) return fallback;
  if (!/^\d{1,5}$/.test(value)) throw new UsageError(`--${name} must be a whole number.`);
  return Number(value);
};

async function sendSample(context: Context, url: string | undefined, values: { file?: string; teams?: string; units?: string; image?: boolean }) {
  let payload: string;
  if (values.file) {
    try {
      payload = readFileSync(values.file, 'utf8');
    } catch (error) {
      throw new CommandError(`Cannot read ${values.file}: ${(error as Error).message}`);
    }
  } else if (values.teams || values.units || values.image) {
    payload = JSON.stringify(
      generateDelivery({ teams: count(values.teams, 'teams', 1), unitsPerTeam: count(values.units, 'units', 10), imageSide: values.image ? 1000 : undefined }),
    );
  } else {
    payload = JSON.stringify(sample);
  }
  const target = url ?? localWebhookUrl(context);
  const { status, body } = await call(target, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: payload });
  if (context.json) context.io.out(`${JSON.stringify({ status, body }, null, 2)}\n`);
  if (status !== 200) {
    throw new CommandError(status === 404 ? 'HTTP 404: kitbridge does not know this webhook URL (wrong or revoked token).' : problemText(status, body));
  }
  if (!context.json) context.io.out(`HTTP 200: the kit is stored.\n${describeLink(body as ProductLink)}\n`);
  return 0;
}

function describeLink(link: ProductLink): string {
  const lines = link.lines.map(
    (l) => `  ${l.quantity} × ${l.size || 'one size'} at ${l.unitPrice}${l.taxExempt ? ' (tax exempt)' : ''}${l.nopProductId ? ` → nopCommerce product ${l.nopProductId}` : ''}`,
  );
  const warnings = link.warnings.map((w: string) => `  ! ${w}`);
  return [`${link.name}: ${link.quantity} garments, total ${link.total}${link.currency ? ` ${link.currency}` : ''}`, ...lines, ...warnings, `Product link: ${link.url}`].join('\n');
}

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

async function deliveries(context: Context, values: { failed?: boolean; since?: string; limit?: string }) {
  const query = new URLSearchParams();
  if (values.failed) query.set('failed', 'true');
  if (values.since) query.set('since', sinceOf(values.since));
  query.set('limit', String(count(values.limit, 'limit', 100)));
  const answer = await admin<{ deliveries: DeliveryRow[] }>(context, 'GET', `/admin/deliveries?${query}`);
  return show(context, answer, ({ deliveries: rows }) =>
    rows.length === 0
      ? 'No deliveries.'
      : rows
          .map((d) => `${d.id.padStart(6)}  ${d.receivedAt}  ${d.outcome.padEnd(9)} ${d.status}  ${d.remoteAddress.padEnd(15)}  ${d.kitId ?? d.problem?.code ?? ''}`)
          .join('\n'),
  );
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

async function tokens(context: Context, [action, id]: string[], label: string | undefined) {
  if (action === 'list') {
    return show(context, await admin<{ tokens: Array<Wire<TokenRow>> }>(context, 'GET', '/admin/tokens'), ({ tokens: rows }) =>
      rows
        .map((t) => `${String(t.id).padStart(4)}  ${t.hint}  ${t.revokedAt ? `revoked ${t.revokedAt}` : 'active'}  ${t.label}`)
        .join('\n') || 'No tokens in the database (WEBHOOK_TOKENS are not listed).',
    );
  }
  if (action === 'add') {
    const added = await admin<Wire<TokenRow> & { token: string; url: string }>(context, 'POST', '/admin/tokens', label ? { label } : {});
    return show(context, added, (t) =>
      `Token ${t.id} added. Paste this into Kit Builder's company page, "Webhook Endpoint URL":\n  ${t.url}\nThen revoke the old one with: kitbridge tokens revoke <id>`,
    );
  }
  if (action === 'revoke') {
    const row = await admin<Wire<TokenRow>>(context, 'POST', `/admin/tokens/${encodeURIComponent(required(id, 'id'))}/revoke`);
    return show(context, row, (t) => `Token ${t.id} (${t.hint}) revoked; kitbridge refuses it within seconds.`);
  }
  throw new UsageError('Use tokens list, tokens add or tokens revoke <id>.');
}

async function cleanup(context: Context, values: { 'older-than'?: string; 'dry-run'?: boolean }) {
  const age = /^(\d{1,5})d$/.exec(values['older-than'] ?? '');
  if (!age || Number(age[1]) < 1) throw new UsageError('--older-than is required, in days, like 90d.');
  const dryRun = Boolean(values['dry-run']);
  const removed: Array<{ id: string; name: string; createdAt: string }> = [];
  const kept: Array<{ id: string; name: string; reason: string }> = [];
  let imagesRemoved = 0;
  let after: string | undefined;
  let total: number | undefined;
  for (;;) {
    const batch = await admin<CleanupBatch>(context, 'POST', '/admin/cleanup', { olderThanDays: Number(age[1]), dryRun, after });
    total ??= batch.total;
    removed.push(...batch.removed);
    kept.push(...batch.kept);
    imagesRemoved += batch.imagesRemoved;
    context.io.err(`checked ${removed.length + kept.length} of ${total} kits older than ${age[1]} days\n`);
    if (!batch.next) break;
    after = batch.next;
  }
  return show(context, { dryRun, removed, kept, imagesRemoved }, () =>
    [
      ...removed.map((k) => `${dryRun ? 'would remove' : 'removed'}  ${k.id}  ${k.createdAt}  ${k.name}`),
      ...kept.map((k) => `kept          ${k.id}  ${k.name} (${k.reason})`),
      `${dryRun ? 'Would remove' : 'Removed'} ${removed.length} kit(s) and ${dryRun ? 'their' : imagesRemoved} image file(s); kept ${kept.length}.`,
    ].join('\n'),
  );
}
