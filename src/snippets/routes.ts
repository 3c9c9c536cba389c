import Router from '@koa/router';
import { AppError } from '../http/errors';
import type { State } from '../http/middleware';
import { html } from '../shared/html';
import { isSnippetName, renderSnippet, SNIPPETS, type SnippetValues } from './snippets';

// Without the nopCommerce adapter a kit has no shop products, so the snippets have nothing to put in the cart.
const NO_CATALOG = html`<div class="notice" id="no-catalog">
<p><strong>These snippets cannot put kits into the cart yet.</strong> kitbridge runs without the nopCommerce catalog
adapter (<code>CATALOG=own</code>), so a kit has no nopCommerce products, and a shopper pressing "Add to Cart" sees
"The kit has no items that can go into this shop's cart".</p>
<p>Turn it on: set <code>CATALOG=nopcommerce</code>, <code>NOPCOMMERCE_DATABASE_URL</code> (your shop's database),
<code>NOPCOMMERCE_TAX_CATEGORY_ID</code> and <code>PUBLIC_BASE_URL</code>, and restart kitbridge. The guide
docs/guides/nopcommerce.md lists what it writes and the database permissions it needs.</p>
</div>`;

/**
 * The theme snippets, filled in with the shop's values, for a shop owner to copy. They hold nothing that the
 * shop's own pages do not show to every visitor, so they need no secret.
 */
export function snippetRoutes(values: SnippetValues, { addsToCart }: { addsToCart: boolean }): Router<State> {
  const router = new Router<State>();

  router.get('/theme-snippets', (ctx) => {
    ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>kitbridge theme snippets</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}pre{background:#f4f4f4;padding:1rem;overflow:auto}
.notice{border:2px solid #b35900;background:#fff4e5;padding:.5rem 1rem}</style>
</head>
<body>
<h1>Theme snippets for nopCommerce</h1>
${addsToCart ? '' : NO_CATALOG}
<p>Copy each snippet into your theme as described, then open a page with Kit Builder and add a kit to the cart.</p>
${Object.entries(SNIPPETS).map(
  ([name, where]) => html`<h2><a href="/theme-snippets/${name}">${name}</a></h2>
<p>${where}.</p>
<pre>${renderSnippet(name as keyof typeof SNIPPETS, values)}</pre>`,
)}
</body>
</html>`.value;
  });

  router.get('/theme-snippets/:name', (ctx) => {
    const name = ctx.params.name!;
    if (!isSnippetName(name)) throw new AppError('not-found');
    ctx.type = 'text/plain; charset=utf-8';
    ctx.set('Content-Disposition', `inline; filename="${name}"`);
    ctx.body = renderSnippet(name, values);
  });

  return router;
}
