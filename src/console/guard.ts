import type Router from '@koa/router';
import type { Context, Middleware, Next } from 'koa';
import type { Db } from '../db/database';
import { AppError } from '../http/errors';
import { readForm } from '../http/form';
import type { BaseUrl, State } from '../http/middleware';
import { matchesAnyToken, tokenDigest } from '../webhook-tokens/tokens';
import { findSession, SESSION_HOURS, type Session } from './sessions';

/** Who may use the console, and which posts it accepts: sessions by cookie, forms by token and origin. */

export interface ConsoleState extends State {
  session?: Session;
  /** a POST's form fields, read once by the guard */
  form?: URLSearchParams;
}
export type ConsoleRouter = Router<ConsoleState>;
export type ConsoleContext = Context & { state: ConsoleState };

const COOKIE = 'kitbridge_console';

/** Secure when the browser reaches kitbridge over https (directly, or as PUBLIC_BASE_URL says). */
function cookie(ctx: Context, baseUrl: BaseUrl, value: string, maxAgeSeconds: number): string {
  const secure = ctx.protocol === 'https' || baseUrl(ctx).startsWith('https:');
  return `${COOKIE}=${value}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

export const setSessionCookie = (ctx: Context, baseUrl: BaseUrl, session: Session) =>
  ctx.append('Set-Cookie', cookie(ctx, baseUrl, session.id, SESSION_HOURS * 3600));
export const clearSessionCookie = (ctx: Context, baseUrl: BaseUrl) => ctx.append('Set-Cookie', cookie(ctx, baseUrl, '', 0));
export const sessionIdOf = (ctx: Context) => ctx.cookies.get(COOKIE) ?? '';

/**
 * A form post must come from a page of this console: when the browser says where from (Origin, else Referer),
 * that is this origin (the request's own, or PUBLIC_BASE_URL's behind a proxy). Then its fields are read.
 */
export async function readOwnForm(ctx: ConsoleContext, baseUrl: BaseUrl): Promise<URLSearchParams> {
  // (Koa 3's ctx.origin is the Origin header itself, so this origin is made from protocol and host.)
  const own = new Set([`${ctx.protocol}://${ctx.host}`, new URL(baseUrl(ctx)).origin]);
  const from = ctx.get('Origin') || ctx.get('Referer');
  let origin: string | undefined;
  try {
    origin = from ? new URL(from).origin : undefined;
  } catch {
    origin = 'invalid';
  }
  if (origin !== undefined && !own.has(origin)) {
    throw new AppError('forbidden', 'This form was sent from another site. Open the console yourself and try again.');
  }
  return readForm(ctx);
}

/**
 * Every console page but the sign-in needs a session; without one, the browser is sent to sign in (and back
 * here afterwards). A POST must also carry the session's form token.
 */
export function requireSession(deps: { db: Db; baseUrl: BaseUrl; now: () => number }): Middleware<ConsoleState> {
  return async (ctx: ConsoleContext, next: Next) => {
    const session = await findSession(deps.db, sessionIdOf(ctx), deps.now());
    if (!session) {
      const back = ctx.method === 'GET' ? `?next=${encodeURIComponent(ctx.originalUrl)}` : '';
      ctx.redirect(`/console/sign-in${back}`);
      ctx.status = 303;
      return;
    }
    ctx.state.session = session;
    if (ctx.method === 'POST') {
      const form = await readOwnForm(ctx, deps.baseUrl);
      if (!matchesAnyToken(form.get('_csrf') ?? '', [tokenDigest(session.csrfToken)])) {
        throw new AppError('forbidden', 'This form is out of date (or came from elsewhere). Reload the page and try again.');
      }
      ctx.state.form = form;
    }
    await next();
  };
}

/** The session of a request that passed requireSession. */
export const sessionOf = (ctx: ConsoleContext): Session => ctx.state.session!;
