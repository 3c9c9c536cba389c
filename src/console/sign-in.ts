import type { Db } from '../db/database';
import type { BaseUrl } from '../http/middleware';
import type { FailureLimiter } from '../http/rate-limit';
import { html } from '../shared/html';
import { matchesAnyToken, tokenDigest } from '../webhook-tokens/tokens';
import { clearSessionCookie, readOwnForm, sessionIdOf, setSessionCookie, type ConsoleContext, type ConsoleRouter } from './guard';
import { sendPage } from './respond';
import { endSession, findSession, IDLE_HOURS, SESSION_HOURS, startSession } from './sessions';

/** Signing in with the admin token, and out again. */

export interface SignInDeps {
  db: Db;
  adminToken: string;
  /** wrong admin tokens per client address, shared with the admin API: 429 after a few */
  guesses: FailureLimiter;
  baseUrl: BaseUrl;
  now: () => number;
}

/** Where to go after signing in: a console page, never another site. */
const nextOf = (value: unknown) =>
  typeof value === 'string' && /^\/console(\/|\?|$)/.test(value) && !value.includes('\\') ? value : '/console/deliveries';

export function signInPages(router: ConsoleRouter, deps: SignInDeps): void {
  const adminDigest = [tokenDigest(deps.adminToken)];

  router.get('/console/sign-in', async (ctx) => {
    const next = nextOf(ctx.query.next);
    if (await findSession(deps.db, sessionIdOf(ctx), deps.now())) return ctx.redirect(next);
    showForm(ctx, next, false);
  });

  router.post('/console/sign-in', async (ctx) => {
    const form = await readOwnForm(ctx, deps.baseUrl);
    const next = nextOf(form.get('next'));
    deps.guesses.refuseLockedOut(ctx.ip);
    if (!matchesAnyToken(form.get('token') ?? '', adminDigest)) {
      deps.guesses.fail(ctx.ip);
      return showForm(ctx, next, true);
    }
    setSessionCookie(ctx, deps.baseUrl, await startSession(deps.db, deps.now()));
    ctx.status = 303;
    ctx.redirect(next);
  });
}

/** Sign-out is a form of a signed-in page: it needs the session and its form token, like any other. */
export function signOut(router: ConsoleRouter, deps: Pick<SignInDeps, 'db' | 'baseUrl'>): void {
  router.post('/console/sign-out', async (ctx) => {
    await endSession(deps.db, sessionIdOf(ctx));
    clearSessionCookie(ctx, deps.baseUrl);
    ctx.status = 303;
    ctx.redirect('/console/sign-in');
  });
}

function showForm(ctx: ConsoleContext, next: string, failed: boolean): void {
  sendPage(
    ctx,
    {
      title: 'Sign in',
      body: html`<h1>Sign in to kitbridge</h1>
${failed ? html`<p class="error">That is not the admin token. Check for spaces and try again.</p>` : ''}
<form method="post" action="/console/sign-in" class="sign-in">
<input type="hidden" name="next" value="${next}">
<p><label for="token">Admin token (<code>ADMIN_TOKEN</code> in kitbridge's settings)</label>
<input id="token" class="url" name="token" type="password" autocomplete="current-password" required autofocus></p>
<p><button type="submit">Sign in</button></p>
</form>
<p class="muted">You stay signed in for up to ${SESSION_HOURS} hours, or until ${IDLE_HOURS} hours without using the console.</p>`,
    },
    failed ? 401 : 200,
  );
}
