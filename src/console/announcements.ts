import type { Knex } from 'knex';
import { z } from 'zod';
import type { PrintRoom } from '../announcements/enqueue';
import { failedAnnouncements, outboxCounts, sendAgain } from '../announcements/outbox';
import { AppError } from '../http/errors';
import { parseInput } from '../http/validation';
import { Html, html } from '../shared/html';
import type { ConsoleRouter } from './guard';
import { outcomeBadge, plural, postForm, when } from './layout';
import { sendPage } from './respond';

/** The print room's announcements on the health page: what is configured, what failed, and sending it again. */

export interface AnnouncementDeps {
  db: Knex;
  /** absent: no channel is configured */
  printRoom?: Pick<PrintRoom, 'channels' | 'startedAt'>;
}

const LISTED = 100;
const CHANNEL_NAMES = { email: 'E-mail', webhook: 'Webhook' } as const;
const idParam = z.object({ id: z.string().regex(/^\d{1,18}$/, 'must be an announcement id') });

export async function announcementSection(deps: AnnouncementDeps, csrfToken: string): Promise<Html> {
  const heading = html`<h2 id="print-room">Print room announcements</h2>`;
  if (!deps.printRoom) {
    return html`${heading}<p>Not in use: set <code>PRINT_ROOM_EMAIL</code> (with <code>SMTP_URL</code> and <code>SMTP_FROM</code>) or <code>PRINT_ROOM_WEBHOOK_URL</code> to tell the print room of each order to print.</p>`;
  }
  const { channels, startedAt } = deps.printRoom;
  const [counts, failed] = await Promise.all([outboxCounts(deps.db), failedAnnouncements(deps.db, LISTED)]);
  const since = channels.map((c) => html`<li>${CHANNEL_NAMES[c]}: orders placed since ${when(startedAt.get(c)!)}</li>`);
  const rows = failed.map(
    (f) => html`<tr><td data-label="Order"><a href="/console/orders/${f.orderId}/sheet">${f.order.customOrderNumber}</a></td><td data-label="Channel">${CHANNEL_NAMES[f.channel]}</td>
<td data-label="Queued">${when(f.createdAt)}</td><td data-label="Attempts">${f.attempts}</td><td data-label="Last error">${f.lastError ?? ''}</td>
<td>${postForm(`/console/announcements/${f.id}/send-again`, csrfToken, html`<button type="submit">Send again</button>`)}</td></tr>`,
  );
  return html`${heading}<ul>${since}</ul>
<p>${plural(counts.sent, 'announcement')} sent, ${counts.pending} waiting, ${counts.failed ? outcomeBadge('failed', `${counts.failed} failed`) : '0 failed'}.</p>
${failed.length ? html`<div class="scroll"><table class="cards"><thead><tr><th>Order</th><th>Channel</th><th>Queued</th><th>Attempts</th><th>Last error</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>` : ''}`;
}

export function announcementPages(router: ConsoleRouter, deps: AnnouncementDeps & { now: () => number }): void {
  router.post('/console/announcements/:id/send-again', async (ctx) => {
    const { id } = parseInput(idParam, ctx.params);
    const row = await sendAgain(deps.db, id, new Date(deps.now()));
    if (!row) throw new AppError('not-found', 'There is no failed announcement with that id: it may have been sent again already.');
    sendPage(ctx, {
      title: 'Announcement due again',
      section: 'health',
      body: html`<h1>Announcement due again</h1><p class="notice">The ${CHANNEL_NAMES[row.channel].toLowerCase()} for order ${row.order.customOrderNumber} goes out again within a minute.</p>
<p><a href="/console/health#print-room">Back to the health page</a></p>`,
    });
  });
}
