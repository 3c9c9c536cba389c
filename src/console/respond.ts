import type { Html } from '../shared/html';
import type { ConsoleContext } from './guard';
import { renderPage, type Section } from './layout';

/** Answers with a console page; signed in, it has the navigation and the sign-out form. */
export function sendPage(ctx: ConsoleContext, page: { title: string; section?: Section; body: Html }, status = 200): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = renderPage({ ...page, csrfToken: ctx.state.session?.csrfToken });
}
