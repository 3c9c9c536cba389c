import { z } from 'zod';
import { OUTCOMES } from '../deliveries/log';
import { findDelivery, listDeliveries, type DeliveryRow } from '../deliveries/store';
import { AppError } from '../http/errors';
import type { BaseUrl } from '../http/middleware';
import { parseInput } from '../http/validation';
import { Html, html } from '../shared/html';
import { deliverBytes, replayDelivery, type ReplayDeps } from '../webhook/replay';
import { readSample } from '../webhook/sample';
import { sessionOf, type ConsoleContext, type ConsoleRouter } from './guard';
import { consoleKitPath } from './kits';
import { outcomeBadge, postForm, problemInWords, warningList, when } from './layout';
import { renderReceipt } from './receipt';
import { sendPage } from './respond';

/** The delivery log, one delivery in full, replaying a failed one, and sending a test delivery. */

export interface DeliveryPageDeps extends ReplayDeps {
  baseUrl: BaseUrl;
}

const PAGE_SIZE = 50;
const PERIODS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
const PERIOD_LABELS: Record<keyof typeof PERIODS, string> = { '1h': 'last hour', '24h': 'last 24 hours', '7d': 'last 7 days', '30d': 'last 30 days' };
const SHOWN = ['problems', ...OUTCOMES] as const;
const SHOWN_LABELS: Record<(typeof SHOWN)[number], string> = {
  problems: 'failed or rejected',
  created: 'created',
  duplicate: 'duplicate',
  rejected: 'rejected',
  failed: 'failed',
};

const listQuery = z.object({
  outcome: z.enum(SHOWN).optional(),
  since: z.enum(Object.keys(PERIODS) as Array<keyof typeof PERIODS>).optional(),
  before: z.string().regex(/^\d{1,18}$/, 'must be a delivery id').optional(),
});
type ListQuery = z.infer<typeof listQuery>;

export function deliveryPages(router: ConsoleRouter, deps: DeliveryPageDeps): void {
  router.get('/console/deliveries', async (ctx) => {
    const query = parseInput(listQuery, ctx.query);
    const rows = await listDeliveries(deps.db, {
      failed: query.outcome === 'problems',
      outcome: query.outcome === 'problems' ? undefined : query.outcome,
      since: query.since ? new Date(Date.now() - PERIODS[query.since]) : undefined,
      before: query.before,
      limit: PAGE_SIZE,
    });
    sendPage(ctx, { title: 'Deliveries', section: 'deliveries', body: renderList(ctx, query, rows) });
  });

  router.get('/console/deliveries/:id', async (ctx) => {
    const delivery = await findDelivery(deps.db, ctx.params.id!);
    if (!delivery) throw new AppError('not-found', `There is no delivery ${ctx.params.id}.`);
    sendPage(ctx, { title: `Delivery ${delivery.id}`, section: 'deliveries', body: renderDelivery(ctx, delivery) });
  });

  router.post('/console/deliveries/:id/replay', async (ctx) => {
    const replay = await replayDelivery(deps, ctx.params.id!, requestOf(ctx, deps.baseUrl));
    const body = html`<h1>Replayed delivery ${replay.replayOf}</h1>${renderReceipt(replay.link, replay.created)}
<p><a href="/console/deliveries">Back to the deliveries</a></p>`;
    sendPage(ctx, { title: `Replayed delivery ${replay.replayOf}`, section: 'deliveries', body });
  });

  router.post('/console/test-delivery', async (ctx) => {
    const receipt = await deliverBytes(deps, await readSample(), requestOf(ctx, deps.baseUrl));
    const body = html`<h1>Test delivery received</h1>
<p>Kit Builder's documentation sample went through the webhook like a real delivery and is in the <a href="/console/deliveries">delivery log</a>.</p>
${renderReceipt(receipt.link, receipt.created)}`;
    sendPage(ctx, { title: 'Test delivery', section: 'deliveries', body });
  });
}

/** A delivery made from the console is logged as coming from the shop owner's browser. */
const requestOf = (ctx: ConsoleContext, baseUrl: BaseUrl) => ({ requestId: ctx.state.requestId, remoteAddress: ctx.ip, baseUrl: baseUrl(ctx) });

function renderList(ctx: ConsoleContext, query: ListQuery, rows: DeliveryRow[]): Html {
  const { csrfToken } = sessionOf(ctx);
  const older =
    rows.length === PAGE_SIZE
      ? new URLSearchParams(Object.entries({ ...query, before: rows[rows.length - 1]!.id }).filter((entry): entry is [string, string] => Boolean(entry[1])))
      : null;
  return html`<h1>Deliveries</h1>
<form method="get" action="/console/deliveries" class="bar">
<label>Outcome<br><select name="outcome"><option value="">any</option>${SHOWN.map((o) => html`<option value="${o}"${o === query.outcome ? new Html(' selected') : ''}>${SHOWN_LABELS[o]}</option>`)}</select></label>
<label>Received<br><select name="since"><option value="">any time</option>${(Object.keys(PERIODS) as Array<keyof typeof PERIODS>).map((p) => html`<option value="${p}"${p === query.since ? new Html(' selected') : ''}>${PERIOD_LABELS[p]}</option>`)}</select></label>
<button type="submit">Show</button>
</form>
${rows.length === 0 ? html`<p>No deliveries${query.outcome || query.since ? ' match these filters' : ' yet'}.</p>` : html`<div class="scroll"><table class="cards">
<thead><tr><th>Received</th><th>Outcome</th><th>Kit, or what was wrong</th><th>From</th><th></th></tr></thead>
<tbody>
${rows.map((d) => renderRow(d, csrfToken))}</tbody>
</table></div>`}
${older ? html`<p><a href="/console/deliveries?${older.toString()}">Older deliveries →</a></p>` : ''}
<h2>Test the webhook</h2>
<p>Sends Kit Builder's documentation sample through the webhook, exactly as Kit Builder would (like <code>npx kitbridge send-sample</code>). It appears in this list.</p>
${postForm('/console/test-delivery', csrfToken, html`<button type="submit" class="secondary">Send a test delivery</button>`)}`;
}

// The same set as listDeliveries' `failed` filter (deliveries/store.ts), which keeps it inline: share a constant once it exports one.
const isProblem = (d: DeliveryRow) => d.outcome === 'failed' || d.outcome === 'rejected';

function renderRow(d: DeliveryRow, csrfToken: string): Html {
  return html`<tr${isProblem(d) ? new Html(' class="problem"') : ''}>
<td data-label="Received"><a href="/console/deliveries/${d.id}">${when(d.receivedAt)}</a></td>
<td data-label="Outcome">${outcomeBadge(d.outcome)} <span class="muted">HTTP ${d.status}</span></td>
<td data-label="${isProblem(d) ? 'Problem' : 'Kit'}">${renderKitOrProblem(d)}</td>
<td data-label="From"><code>${d.remoteAddress}</code></td>
<td>${d.replayable ? postForm(`/console/deliveries/${d.id}/replay`, csrfToken, html`<button type="submit">Replay</button>`) : ''}</td>
</tr>
`;
}

// What an outcome means for the shop owner, beside the problem kitbridge answered with.
const FAILED = "kitbridge could not store it: the cause is on kitbridge's or the shop's side, not in what Kit Builder sent. Replay it once the cause is fixed.";
const REJECTED = 'Kit Builder sent something kitbridge cannot use; sending it again will not help.';

function renderKitOrProblem(d: DeliveryRow): Html {
  if (d.problem) return html`${problemInWords(d.problem)}<div class="muted">${d.outcome === 'failed' ? FAILED : REJECTED}</div>`;
  if (d.kitId && d.kitName !== null) return html`<a href="${consoleKitPath(d.kitId)}">${d.kitName}</a>`;
  return html`<span class="muted">kit since removed</span>`;
}

function renderDelivery(ctx: ConsoleContext, d: DeliveryRow): Html {
  const replay = d.replayable
    ? html`<p>This delivery failed on kitbridge's side; its body is kept, so it can run again now that the cause is gone.</p>
${postForm(`/console/deliveries/${d.id}/replay`, sessionOf(ctx).csrfToken, html`<button type="submit">Replay</button>`)}`
    : d.outcome === 'failed'
      ? html`<p class="muted">Its body is no longer kept, so it cannot be replayed; Kit Builder's own retry may still bring it.</p>`
      : '';
  return html`<h1>Delivery ${d.id}</h1>
${isProblem(d) && d.problem ? html`<div class="error">${renderKitOrProblem(d)}</div>` : ''}
<dl class="facts">
<dt>Received</dt><dd>${when(d.receivedAt)}</dd>
<dt>From</dt><dd><code>${d.remoteAddress}</code></dd>
<dt>Outcome</dt><dd>${outcomeBadge(d.outcome)} HTTP ${d.status}</dd>
<dt>Kit</dt><dd>${d.kitId ? renderKitOrProblem({ ...d, problem: null }) : '–'}</dd>
${d.replayOf ? html`<dt>Replay of</dt><dd><a href="/console/deliveries/${d.replayOf}">delivery ${d.replayOf}</a></dd>` : ''}
<dt>Request id</dt><dd><code>${d.requestId}</code></dd>
<dt>Size</dt><dd>${d.bodyBytes.toLocaleString('en')} bytes</dd>
<dt>SHA-256</dt><dd><code>${d.bodySha256 ?? '–'}</code></dd>
<dt>Duration</dt><dd>${d.durationMs} ms</dd>
</dl>
${warningList(d.warnings, 'Warnings')}
${replay}
<p><a href="/console/deliveries">Back to the deliveries</a></p>`;
}
