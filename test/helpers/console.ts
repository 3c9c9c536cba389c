import type { TestApp } from './app';

/** A browser's session in the console, driven through supertest: its cookie and its form token. */
export async function signIn(app: Pick<TestApp, 'http'>, adminToken: string) {
  const answer = await app.http().post('/console/sign-in').type('form').send({ token: adminToken, next: '/console/deliveries' });
  if (answer.status !== 303) throw new Error(`sign-in answered ${answer.status}`);
  const setCookie = answer.headers['set-cookie'] as unknown as string[];
  const cookie = setCookie[0]!.split(';')[0]!;
  const page = await app.http().get('/console/deliveries').set('Cookie', cookie);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
  return {
    cookie,
    setCookie: setCookie[0]!,
    csrf,
    get: (path: string) => app.http().get(path).set('Cookie', cookie),
    /** an HTML form's post, with the session's form token unless `fields` sets `_csrf` itself */
    post: (path: string, fields: Record<string, string> = {}) =>
      app.http().post(path).set('Cookie', cookie).type('form').send({ _csrf: csrf, ...fields }),
  };
}

export type ConsoleSession = Awaited<ReturnType<typeof signIn>>;

/**
 * A kit id as a CSV cell: ids are random base64url, so one in 64 begins with "-", which the formula guard
 * neutralises with a leading quote like any other cell.
 */
export const kitIdCell = (kitId: string) => (kitId.startsWith('-') ? `'${kitId}` : kitId);
