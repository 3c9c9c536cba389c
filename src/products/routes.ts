import Router from '@koa/router';
import { createReadStream, promises as fs } from 'node:fs';
import type { Knex } from 'knex';
import { findKit, findLines, findTeams } from '../kits/read';
import { imagePath } from '../kits/links';
import { AppError } from '../http/errors';
import type { BaseUrl, State } from '../http/middleware';
import type { ImageStore } from '../images/store';
import { renderKitPage } from './page';

export interface ProductRouteDeps {
  db: Knex;
  images: ImageStore;
  currency?: string;
  baseUrl: BaseUrl;
}

// The page shows a team roster, often of minors, and runs no script at all. Images come from kitbridge itself
// (the kit's MainImage) or are inline: Kit Builder's contract says its Html is "basic HTML with images" and names
// no host to trust, and a remote <img> in it would tell a third party (a tracking pixel) who looked at the roster.
// Never framed (clickjacking, a roster shown under another site's name) and never kept by a shared cache.
const PAGE_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function productRoutes(deps: ProductRouteDeps): Router<State> {
  const router = new Router<State>();

  router.get('/products/:id', async (ctx) => {
    const kit = await findKit(deps.db, ctx.params.id!);
    if (!kit) throw new AppError('not-found');
    const [lines, teams] = await Promise.all([findLines(deps.db, kit.id), findTeams(deps.db, kit.id)]);
    const imageUrl = kit.imageName ? deps.baseUrl(ctx) + imagePath(kit.imageName) : null;
    ctx.set('Content-Security-Policy', PAGE_CSP);
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Cache-Control', 'no-store');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = renderKitPage({ kit, lines, teams, imageUrl, currency: deps.currency });
  });

  router.get('/images/:name', async (ctx) => {
    const file = deps.images.pathOf(ctx.params.name!);
    const stat = file ? await fs.stat(file).catch(() => undefined) : undefined;
    if (!file || !stat?.isFile()) throw new AppError('not-found');
    // Content-addressed: a name always means the same bytes.
    const etag = `"${ctx.params.name!.slice(0, 64)}"`;
    ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
    ctx.set('ETag', etag);
    ctx.set('X-Content-Type-Options', 'nosniff');
    if (ctx.get('If-None-Match') === etag) {
      ctx.status = 304;
      return;
    }
    ctx.type = 'image/png';
    ctx.length = stat.size;
    ctx.body = createReadStream(file);
  });

  return router;
}
