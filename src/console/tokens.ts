import { z } from 'zod';
import type { Db } from '../db/database';
import { AppError } from '../http/errors';
import type { BaseUrl } from '../http/middleware';
import { parseInput } from '../http/validation';
import { Html, html } from '../shared/html';
import { webhookUrl } from '../webhook/routes';
import { addWebhookToken, revokeWebhookToken, tokenLabel } from '../webhook-tokens/manage';
import type { TokenRing } from '../webhook-tokens/ring';
import { listTokens, type TokenRow } from '../webhook-tokens/store';
import { sessionOf, type ConsoleRouter } from './guard';
import { postForm, when } from './layout';
import { sendPage } from './respond';

/** The secret webhook URLs: list, add (the URL shown once), revoke after a confirmation. */

export interface TokenPageDeps {
  db: Db;
  tokens: TokenRing;
  baseUrl: BaseUrl;
}

const addForm = z.object({ label: tokenLabel.min(1, 'give the URL a name').default('added in the console') });
const revokedNotice = z.object({ revoked: z.string().regex(/^\d{1,9}$/).optional().catch(undefined) });

export function tokenPages(router: ConsoleRouter, deps: TokenPageDeps): void {
  router.get('/console/tokens', async (ctx) => {
    const { revoked } = parseInput(revokedNotice, ctx.query);
    const notice = revoked ? html`<p class="notice">Webhook URL ${revoked} is revoked: kitbridge refuses deliveries to it from now on.</p>` : '';
    sendPage(ctx, { title: 'Webhook URLs', section: 'tokens', body: html`${notice}${renderList(await listTokens(deps.db), sessionOf(ctx).csrfToken)}` });
  });

  router.post('/console/tokens', async (ctx) => {
    const { label } = parseInput(addForm, Object.fromEntries(ctx.state.form!));
    const { token, row } = await addWebhookToken(deps.db, deps.tokens, label);
    const url = webhookUrl(deps.baseUrl(ctx), token);
    sendPage(ctx, {
      title: 'New webhook URL',
      section: 'tokens',
      body: html`<h1>New webhook URL</h1>
<p class="warn">This is the only time this URL is shown: kitbridge keeps only a fingerprint of it. Copy it now.</p>
<label for="new-url">Webhook URL ${row.id} (${row.label})</label>
<p class="bar"><input id="new-url" class="url" type="text" readonly value="${url}"> <button type="button" data-copy="new-url" hidden>Copy</button></p>
<ol>
<li>Paste it into Kit Builder's company page, field “Webhook Endpoint URL”, and save.</li>
<li>Send a test order in Kit Builder, or a <a href="/console/deliveries">test delivery</a>, and see it arrive.</li>
<li>Then revoke the old URL on the <a href="/console/tokens">webhook URLs</a> page.</li>
</ol>`,
    }, 201);
  });

  router.get('/console/tokens/:id/revoke', async (ctx) => {
    const row = (await listTokens(deps.db)).find((t) => String(t.id) === ctx.params.id);
    if (!row) throw new AppError('not-found', `There is no webhook URL ${ctx.params.id}.`);
    sendPage(ctx, {
      title: `Revoke webhook URL ${row.id}`,
      section: 'tokens',
      body: html`<h1>Revoke webhook URL ${row.id}?</h1>
<p>URL ${row.id} (<code>${row.hint}</code>, “${row.label}”) will be refused within seconds. Make sure Kit Builder's company page already has the new URL, or deliveries will fail.</p>
<div class="bar">${postForm(`/console/tokens/${row.id}/revoke`, sessionOf(ctx).csrfToken, html`<button type="submit" class="danger">Revoke it</button>`)}
<a class="button secondary" href="/console/tokens">Keep it</a></div>`,
    });
  });

  router.post('/console/tokens/:id/revoke', async (ctx) => {
    const row = await revokeWebhookToken(deps.db, deps.tokens, ctx.params.id!);
    ctx.status = 303;
    ctx.redirect(`/console/tokens?revoked=${row.id}`);
  });
}

function renderList(rows: TokenRow[], csrfToken: string): Html {
  return html`<h1>Webhook URLs</h1>
<p>Kit Builder posts each kit to a secret URL. Add a new one to change it (for example when a former employee knew it), paste it into Kit Builder, then revoke the old one. URLs set in <code>WEBHOOK_TOKENS</code> are configuration and are not listed here.</p>
${rows.length === 0 ? html`<p>No webhook URLs are stored.</p>` : html`<div class="scroll"><table class="cards">
<thead><tr><th>Id</th><th>Starts with</th><th>Name</th><th>Added</th><th>State</th><th></th></tr></thead>
<tbody>${rows.map(
  (t) => html`<tr><td data-label="Id">${t.id}</td><td data-label="Starts with"><code>${t.hint}</code></td><td data-label="Name">${t.label}</td><td data-label="Added">${when(t.createdAt)}</td>
<td data-label="State">${t.revokedAt ? html`revoked ${when(t.revokedAt)}` : html`<strong>active</strong>`}</td>
<td>${t.revokedAt ? '' : html`<a href="/console/tokens/${t.id}/revoke">Revoke…</a>`}</td></tr>
`,
)}</tbody></table></div>`}
<h2>Add a webhook URL</h2>
${postForm('/console/tokens', csrfToken, html`<div class="bar"><label>Name (why, or for whom)<br><input name="label" maxlength="200" value="added in the console" required></label> <button type="submit">Add a webhook URL</button></div>`)}`;
}
