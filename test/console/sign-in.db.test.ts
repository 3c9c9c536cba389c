import { createHash } from 'node:crypto';
import { migrationSource } from '../../migrations';
import { openDatabase } from '../../src/db/database';
import { generateToken } from '../../src/webhook-tokens/tokens';
import { startTestApp, type TestApp } from '../helpers/app';
import { signIn } from '../helpers/console';

const ADMIN_TOKEN = generateToken();
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ adminToken: ADMIN_TOKEN });
});
afterAll(() => app.close());

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const tokenCount = async () => Number((await app.db('webhook_tokens').count({ n: '*' }))[0]!.n);

describe('signing in', () => {
  it('sends a visitor without a session to the sign-in page, and back to where they were going afterwards', async () => {
    const visit = await app.http().get('/console/kits?q=Lions');
    expect(visit.status).toBe(303);
    expect(visit.headers.location).toBe('/console/sign-in?next=%2Fconsole%2Fkits%3Fq%3DLions');
    const form = await app.http().get(visit.headers.location);
    expect(form.status).toBe(200);
    expect(form.text).toContain('name="next" value="/console/kits?q=Lions"');
    const signedIn = await app.http().post('/console/sign-in').type('form').send({ token: ADMIN_TOKEN, next: '/console/kits?q=Lions' });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.location).toBe('/console/kits?q=Lions');
  });

  it('refuses a wrong token with the form again, and never sends the browser to another site', async () => {
    const wrong = await app.http().post('/console/sign-in').type('form').send({ token: 'not-the-token' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('That is not the admin token');
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const elsewhere = await app.http().post('/console/sign-in').type('form').send({ token: ADMIN_TOKEN, next: '//evil.example/console' });
    expect(elsewhere.headers.location).toBe('/console/deliveries');
  });

  it('sets an HttpOnly, SameSite=Strict session cookie for /console only, and stores only its hash', async () => {
    const session = await signIn(app, ADMIN_TOKEN);
    expect(session.setCookie).toMatch(/^kitbridge_console=[A-Za-z0-9_-]{43}; Path=\/console; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    const id = session.cookie.split('=')[1]!;
    const stored = await app.db('console_sessions').pluck('id_sha256');
    expect(stored).toContain(sha256(id));
    expect(stored).not.toContain(id);
  });

  it('marks the cookie Secure when the console is reached over https', async () => {
    const https = await startTestApp({ adminToken: ADMIN_TOKEN, publicBaseUrl: 'https://kits.example' });
    try {
      const answer = await https.http().post('/console/sign-in').type('form').send({ token: ADMIN_TOKEN });
      expect(answer.headers['set-cookie']![0]).toMatch(/; Secure$/);
    } finally {
      await https.close();
    }
  });

  it('answers 429 after too many wrong tokens from one address, counting guesses at the admin API too', async () => {
    const guessed = await startTestApp({ adminToken: ADMIN_TOKEN });
    try {
      for (let i = 0; i < 15; i++) await guessed.http().get('/admin/deliveries').set('Authorization', 'Bearer wrong').expect(401);
      for (let i = 0; i < 15; i++) await guessed.http().post('/console/sign-in').type('form').send({ token: `guess-${i}` }).expect(401);
      const limited = await guessed.http().post('/console/sign-in').type('form').send({ token: 'one-more' });
      expect(limited.status).toBe(429);
      expect(limited.headers['retry-after']).toMatch(/^\d+$/);
      expect(limited.headers['content-type']).toContain('text/html');
      expect(limited.text).toContain('Too many failed attempts');
    } finally {
      await guessed.close();
    }
  });

  it('refuses even the right token while an address is locked out, at the console and the admin API alike', async () => {
    const guessed = await startTestApp({ adminToken: ADMIN_TOKEN });
    try {
      for (let i = 0; i < 30; i++) await guessed.http().post('/console/sign-in').type('form').send({ token: `guess-${i}` }).expect(401);
      // one request id for both, so that the pages may be compared whole
      const attempt = (token: string) => guessed.http().post('/console/sign-in').set('X-Request-Id', 'attempt').type('form').send({ token });
      const wrong = await attempt('one-more');
      const right = await attempt(ADMIN_TOKEN);
      expect([wrong.status, right.status]).toEqual([429, 429]);
      expect(right.headers['set-cookie']).toBeUndefined();
      expect(right.text).toBe(wrong.text);
      const api = await guessed.http().get('/admin/deliveries').set('Authorization', `Bearer ${ADMIN_TOKEN}`);
      expect(api.status).toBe(429);
      expect(api.body.deliveries).toBeUndefined();
    } finally {
      await guessed.close();
    }
  });
});

describe('sessions', () => {
  it('ends at its absolute expiry', async () => {
    const session = await signIn(app, ADMIN_TOKEN);
    expect((await session.get('/console/deliveries')).status).toBe(200);
    const id = session.cookie.split('=')[1]!;
    await app.db('console_sessions').where({ id_sha256: sha256(id) }).update({ expires_at: new Date(Date.now() - 1000) });
    const after = await session.get('/console/deliveries');
    expect(after.status).toBe(303);
    expect(after.headers.location).toMatch(/^\/console\/sign-in/);
  });

  it('ends after two hours without a request', async () => {
    const session = await signIn(app, ADMIN_TOKEN);
    const id = session.cookie.split('=')[1]!;
    await app.db('console_sessions').where({ id_sha256: sha256(id) }).update({ last_seen_at: new Date(Date.now() - 2 * 3_600_000 - 1000) });
    expect((await session.get('/console/kits')).status).toBe(303);
  });

  it('signs out: the session is deleted and its cookie no longer works', async () => {
    const session = await signIn(app, ADMIN_TOKEN);
    const out = await session.post('/console/sign-out');
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/console/sign-in');
    expect(out.headers['set-cookie']![0]).toMatch(/^kitbridge_console=; Path=\/console; HttpOnly; SameSite=Strict; Max-Age=0/);
    expect(await app.db('console_sessions').where({ id_sha256: sha256(session.cookie.split('=')[1]!) }).first()).toBeUndefined();
    expect((await session.get('/console/deliveries')).status).toBe(303);
  });
});

describe('forms', () => {
  let session: Awaited<ReturnType<typeof signIn>>;
  beforeAll(async () => {
    session = await signIn(app, ADMIN_TOKEN);
  });

  it('refuses a post without the session’s form token, or with a wrong one, and changes nothing', async () => {
    const before = await tokenCount();
    const missing = await app.http().post('/console/tokens').set('Cookie', session.cookie).type('form').send({ label: 'x' });
    expect(missing.status).toBe(403);
    expect(missing.text).toContain('This form is out of date');
    const wrong = await session.post('/console/tokens', { _csrf: 'forged', label: 'x' });
    expect(wrong.status).toBe(403);
    expect(await tokenCount()).toBe(before);
    expect((await session.post('/console/tokens', { label: 'x' })).status).toBe(201);
  });

  it('refuses a post from another site even with the right form token, and a sign-in from another site', async () => {
    const before = await tokenCount();
    const foreign = await session.post('/console/tokens', { label: 'x' }).set('Origin', 'https://evil.example');
    expect(foreign.status).toBe(403);
    expect(foreign.text).toContain('sent from another site');
    const byReferer = await session.post('/console/tokens', { label: 'x' }).set('Referer', 'https://evil.example/page');
    expect(byReferer.status).toBe(403);
    expect(await tokenCount()).toBe(before);
    const signIn = await app.http().post('/console/sign-in').set('Origin', 'https://evil.example').type('form').send({ token: ADMIN_TOKEN });
    expect(signIn.status).toBe(403);
    expect(signIn.headers['set-cookie']).toBeUndefined();
    // the configured public origin is this console's own
    expect((await session.post('/console/tokens', { label: 'x' }).set('Origin', 'http://kitbridge.test')).status).toBe(201);
  });

  it('never changes anything on GET: the revoke link only asks for confirmation', async () => {
    const added = await session.post('/console/tokens', { label: 'keep me' });
    const id = /Webhook URL (\d+) \(keep me\)/.exec(added.text)![1];
    const confirm = await session.get(`/console/tokens/${id}/revoke`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain(`Revoke webhook URL ${id}?`);
    expect((await app.db('webhook_tokens').where({ id }).first()).revoked_at).toBeNull();
  });
});

it('sends its pages with a tight Content-Security-Policy, no caching and no framing', async () => {
  const page = await app.http().get('/console/sign-in');
  expect(page.headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; script-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'$/);
  expect(page.headers['cache-control']).toBe('no-store');
  expect(page.headers['x-frame-options']).toBe('DENY');
  expect(page.text).not.toMatch(/<script>|style="|https?:\/\/(?!kitbridge)/);
  const script = await app.http().get('/console/console.js');
  expect(script.status).toBe(200);
  expect(script.headers['content-type']).toContain('text/javascript');
});

it('answers unknown console pages with an HTML page, and has no console without ADMIN_TOKEN', async () => {
  const session = await signIn(app, ADMIN_TOKEN);
  const missing = await session.get('/console/nothing-here');
  expect(missing.status).toBe(404);
  expect(missing.headers['content-type']).toContain('text/html');
  const plain = await startTestApp();
  try {
    expect((await plain.http().get('/console/sign-in')).status).toBe(404);
    expect((await plain.http().post('/console/sign-in').type('form').send({ token: ADMIN_TOKEN })).status).toBe(404);
  } finally {
    await plain.close();
  }
});

it('has a migration whose down removes the sessions table and whose up brings it back', async () => {
  const database = openDatabase({});
  try {
    await database.migrate();
    // By name: later migrations come after it.
    await database.knex.migrate.down({ migrationSource, name: '20261124110000_create_console_sessions' });
    expect(await database.knex.schema.hasTable('console_sessions')).toBe(false);
    expect(await database.knex.schema.hasTable('deliveries')).toBe(true);
    await database.migrate();
    expect(await database.knex.schema.hasTable('console_sessions')).toBe(true);
  } finally {
    await database.close();
  }
});
