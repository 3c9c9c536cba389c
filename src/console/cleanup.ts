import { z } from 'zod';
import { cleanupAll, type CleanupBatch, type CleanupDeps } from '../housekeeping/cleanup';
import { parseInput } from '../http/validation';
import { Html, html } from '../shared/html';
import { DAY_MS, daysAgo } from '../shared/time';
import { sessionOf, type ConsoleRouter } from './guard';
import { plural, postForm, when } from './layout';
import { sendPage } from './respond';
import { consoleKitPath } from './kits';

/**
 * The clean-up, as `kitbridge cleanup`: first what it would remove (a dry run, changing nothing), then a
 * confirmation that removes exactly the kits older than the cut-off shown, except those ordered since.
 */

const LISTED = 200;
const days = z.coerce.number().int().min(1, 'must be at least 1').max(36500);
const dryRunQuery = z.object({ days: days.optional() });
const confirmForm = z.object({
  days,
  cutoff: z.iso.datetime().transform((v) => new Date(v)).refine((d) => d.getTime() <= Date.now() - DAY_MS, 'must be at least a day ago'),
});

type Listed = Pick<CleanupBatch, 'removed' | 'kept'>;

export function cleanupPages(router: ConsoleRouter, deps: CleanupDeps): void {
  router.get('/console/cleanup', async (ctx) => {
    const query = parseInput(dryRunQuery, ctx.query);
    const form = html`<h1>Clean-up</h1>
<p>Removes old kits with their images, except kits whose nopCommerce products are in an order. You see the list first; nothing is removed until you confirm.</p>
<form method="get" action="/console/cleanup" class="bar"><label>Kits older than (days)<br><input name="days" type="number" min="1" max="36500" value="${query.days ?? 90}" required></label> <button type="submit">Show what would be removed</button></form>`;
    if (query.days === undefined) return sendPage(ctx, { title: 'Clean-up', section: 'cleanup', body: form });
    const cutoff = daysAgo(query.days);
    const { summary, listed } = await run(deps, cutoff, true);
    const confirm = summary.removed
      ? postForm('/console/cleanup', sessionOf(ctx).csrfToken, html`<button type="submit" class="danger">Remove these ${summary.removed} kits</button>`, { days: String(query.days), cutoff: cutoff.toISOString() })
      : '';
    sendPage(ctx, {
      title: 'Clean-up',
      section: 'cleanup',
      body: html`${form}<h2>Kits received before ${when(cutoff)}</h2>${renderResult(summary, listed, 'would be removed')}${confirm}`,
    });
  });

  router.post('/console/cleanup', async (ctx) => {
    const { days: olderThanDays, cutoff } = parseInput(confirmForm, Object.fromEntries(ctx.state.form!));
    const { summary, listed } = await run(deps, cutoff, false);
    sendPage(ctx, {
      title: 'Clean-up done',
      section: 'cleanup',
      body: html`<h1>Clean-up done</h1><p class="notice">Removed ${plural(summary.removed, 'kit')} older than ${olderThanDays} days and ${plural(summary.imagesRemoved, 'image file')}; kept ${plural(summary.kept, 'ordered kit')}.</p>${renderResult(summary, listed, 'removed')}`,
    });
  });
}

async function run(deps: CleanupDeps, cutoff: Date, dryRun: boolean) {
  const listed: Listed = { removed: [], kept: [] };
  const summary = await cleanupAll(deps, cutoff, {
    dryRun,
    onBatch: (batch) => {
      listed.removed.push(...batch.removed.slice(0, LISTED - listed.removed.length));
      listed.kept.push(...batch.kept.slice(0, LISTED - listed.kept.length));
    },
  });
  return { summary, listed };
}

function renderResult(summary: { removed: number; kept: number }, listed: Listed, verb: string): Html {
  const more = (shown: number, all: number) => (all > shown ? html`<p class="muted">and ${all - shown} more.</p>` : '');
  return html`${summary.removed === 0 ? html`<p>No kit ${verb === 'removed' ? 'was' : 'would be'} removed.</p>` : html`<p>${plural(summary.removed, 'kit')} ${verb}:</p>
<div class="scroll"><table class="cards"><thead><tr><th>Kit</th><th>Received</th></tr></thead>
<tbody>${listed.removed.map((k) => html`<tr><td data-label="Kit">${verb === 'removed' ? k.name : html`<a href="${consoleKitPath(k.id)}">${k.name}</a>`}</td><td data-label="Received">${when(k.createdAt)}</td></tr>`)}</tbody></table></div>
${more(listed.removed.length, summary.removed)}`}
${summary.kept ? html`<p>${summary.kept} kit${summary.kept === 1 ? ' is' : 's are'} kept because ${summary.kept === 1 ? 'it is' : 'they are'} in nopCommerce orders:</p>
<ul>${listed.kept.map((k) => html`<li><a href="${consoleKitPath(k.id)}">${k.name}</a></li>`)}</ul>${more(listed.kept.length, summary.kept)}` : ''}`;
}
