import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generateToken } from '../../src/webhook-tokens/tokens';
import { aDelivery } from '../factories/delivery';
import { startTestApp, type TestApp } from '../helpers/app';
import { signIn, type ConsoleSession } from '../helpers/console';
import { refuseKitInserts } from '../helpers/faults';

const ADMIN_TOKEN = generateToken();
let app: TestApp;
let session: ConsoleSession;
beforeAll(async () => {
  app = await startTestApp({ adminToken: ADMIN_TOKEN });
  session = await signIn(app, ADMIN_TOKEN);
});
afterAll(() => app.close());

const HOSTILE = `<script>alert("x")</script>'"><img src=x onerror=alert(1)>`;
const HOSTILE_NUMBER = `"><i>7`; // numbers are at most 20 characters

/** A kit with a roster: two teams, Danish names. */
const rosterDelivery = (name = 'Ølstykke FC Home Shirt') =>
  aDelivery({
    Name: name,
    sizes: [{ Name: 'S', Quantity: 2 }, { Name: 'M', Quantity: 1 }],
    teams: [
      { Name: 'Ølstykke Drenge U12', Units: [{ Name: 'Søren Ærøe', Number: '10', Size: 'S' }, { Name: 'Mads Holm', Number: '7', Size: 'M' }] },
      { Name: 'Ølstykke Piger U12', Units: [{ Name: 'Åse Lund', Number: '2', Size: 'S' }] },
    ],
  });

describe('deliveries', () => {
  it('lists deliveries newest first, highlighting a rejected one with its cause and the failing field', async () => {
    const created = (await app.deliver(rosterDelivery()).expect(200)).body;
    await app.deliver(aDelivery({ UnitPrice: 'free' })).expect(400);
    const page = await session.get('/console/deliveries');
    expect(page.status).toBe(200);
    const rows = page.text.split('<tr').slice(2);
    expect(rows[0]).toContain('class="problem"');
    expect(rows[0]).toContain('The body is not a valid SingleItemCheckout');
    expect(rows[0]).toContain('<code>SingleItemCheckout.UnitPrice</code>');
    expect(rows[1]).toContain(`href="/console/kits/${created.id}">Ølstykke FC Home Shirt</a>`);
    expect(rows[1]).not.toContain('class="problem"');
  });

  it('filters by outcome and by time', async () => {
    const problems = await session.get('/console/deliveries?outcome=problems');
    expect(problems.text).toContain('badge rejected');
    expect(problems.text).not.toContain('badge created');
    const created = await session.get('/console/deliveries?outcome=created&since=1h');
    expect(created.text).toContain('badge created');
    expect(created.text).not.toContain('badge rejected');
    expect((await session.get('/console/deliveries?outcome=everything')).status).toBe(400);
  });

  it('shows one delivery in full', async () => {
    const { body } = await app.deliver(aDelivery({ Quantity: -1 })).expect(400);
    const id = (await app.db('deliveries').where({ request_id: body.requestId }).first('id')).id;
    const page = await session.get(`/console/deliveries/${id}`);
    expect(page.text).toContain(`<h1>Delivery ${id}</h1>`);
    expect(page.text).toContain(body.requestId);
    expect(page.text).toContain('<code>SingleItemCheckout.Quantity</code>');
    expect((await session.get('/console/deliveries/999999999')).status).toBe(404);
  });

  it('replays a delivery that failed while the database was down: kit created, linked, and the button gone', async () => {
    const heal = await refuseKitInserts(app);
    await app.deliver(rosterDelivery('Replayed kit')).expect(503);
    await heal();
    const list = await session.get('/console/deliveries?outcome=failed');
    const id = /action="\/console\/deliveries\/(\d+)\/replay"/.exec(list.text)![1];
    expect(list.text).toContain('The database is unavailable; retry later');

    const replay = await session.post(`/console/deliveries/${id}/replay`);
    expect(replay.status).toBe(200);
    expect(replay.text).toContain('Kit created.');
    const kitId = /href="\/console\/kits\/([^"]+)">Replayed kit<\/a>/.exec(replay.text)![1];
    expect(await app.db('kits').where({ id: kitId }).first('name')).toEqual({ name: 'Replayed kit' });
    expect((await session.get(`/console/deliveries/${id}`)).text).not.toContain(`/console/deliveries/${id}/replay`);

    const again = await session.post(`/console/deliveries/${id}/replay`);
    expect(again.status).toBe(409);
    expect(again.text).toContain('is no longer kept');
  });

  it('sends the documentation sample as a test delivery, recorded like any delivery', async () => {
    const first = await session.post('/console/test-delivery');
    expect(first.status).toBe(200);
    expect(first.text).toContain('Kit created.');
    expect(first.text).toContain('Category Name Product Name Design Name. (x 5)');
    expect(first.text).toContain('The lines add up to 5 garments but Quantity is 2');
    const [logged] = await app.db('deliveries').orderBy('id', 'desc').limit(1);
    expect(logged).toMatchObject({ outcome: 'created', status: 200 });
    const again = await session.post('/console/test-delivery');
    expect(again.text).toContain('The kit already existed');
    // It sent the file's exact bytes: the same bytes posted to the webhook are a repeat of it.
    const kitId = /href="\/console\/kits\/([^"]+)">Category Name/.exec(first.text)![1];
    const bytes = readFileSync(path.join(__dirname, '../../docs/kitbuilder/single-item-checkout.sample.json'), 'utf8');
    expect((await app.deliver(bytes).expect(200)).body.id).toBe(kitId);
  });
});

describe('kits', () => {
  let kitId: string;
  beforeAll(async () => {
    kitId = (await app.deliver(rosterDelivery('Search me FC')).expect(200)).body.id;
    await app.deliver(aDelivery({ Name: '100% cotton_blend', sizes: [{ Name: 'L', Quantity: 1 }] })).expect(200);
  });

  it.each([
    ['a kit name', 'search ME', 'Search me FC'],
    ['a team name', 'piger u12', 'team Ølstykke Piger U12'],
    ['a player name, in any case', 'SØREN ÆRØE', '#10 Søren Ærøe'],
  ])('finds a kit by %s', async (_, query, shown) => {
    const page = await session.get(`/console/kits?q=${encodeURIComponent(query)}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`href="/console/kits/${kitId}">Search me FC</a>`);
    expect(page.text).toContain(shown);
  });

  it('takes % and _ literally', async () => {
    expect((await session.get('/console/kits?q=%25')).text).toContain('100% cotton_blend');
    expect((await session.get('/console/kits?q=%25')).text).not.toContain('Search me FC');
    // as a wildcard, _ would match the space of "Search me FC"
    expect((await session.get('/console/kits?q=h_me')).text).toContain('No kit, team or player name contains “h_me”');
  });

  it('answers a search for a NUL, which no name can hold, with 400 and why', async () => {
    const page = await session.get('/console/kits?q=a%00');
    expect(page.status).toBe(400);
    expect(page.text).toContain('must not contain NUL characters');
  });

  it('shows a kit with its lines, warnings and roster per team', async () => {
    const page = await session.get(`/console/kits/${kitId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Search me FC</h1>');
    expect(page.text).toContain('Ølstykke Drenge U12');
    expect(page.text).toContain('<td>10</td><td>Søren Ærøe</td><td>S</td>');
    expect(page.text).toContain(`/console/kits/${kitId}/sheet.csv`);
    expect(page.text).not.toContain('<h2>Orders</h2>');
    expect((await session.get('/console/kits/no-such-kit')).status).toBe(404);
  });
});

describe('webhook URLs', () => {
  it('adds a URL shown once that works at once, lists it by its hint, and refuses it once revoked', async () => {
    const added = await session.post('/console/tokens', { label: 'new shop laptop' });
    expect(added.status).toBe(201);
    const url = /id="new-url" class="url" type="text" readonly value="([^"]+)"/.exec(added.text)![1]!;
    const token = url.split('/').pop()!;
    expect(url).toBe(`http://kitbridge.test/webhooks/kitbuilder/${token}`);
    await app.deliver(aDelivery(), token).expect(200);

    const list = await session.get('/console/tokens');
    expect(list.text).toContain(`<code>${token.slice(0, 4)}…</code>`);
    expect(list.text).toContain('new shop laptop');
    expect(list.text).not.toContain(token);

    const id = /Webhook URL (\d+) \(new shop laptop\)/.exec(added.text)![1];
    const revoked = await session.post(`/console/tokens/${id}/revoke`);
    expect(revoked.status).toBe(303);
    expect((await session.get(revoked.headers.location)).text).toContain(`Webhook URL ${id} is revoked`);
    await app.deliver(aDelivery(), token).expect(404);
  });

  it('refuses a name the database cannot store with the form shown again, and adds nothing', async () => {
    const before = (await app.db('webhook_tokens').count({ n: '*' }))[0]!.n;
    const refused = await session.post('/console/tokens', { label: 'laptop\u0000' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('must not contain NUL characters');
    expect((await app.db('webhook_tokens').count({ n: '*' }))[0]!.n).toEqual(before);
  });
});

describe('clean-up', () => {
  it('lists what it would remove first, removes nothing until confirmed, then removes exactly those', async () => {
    const old = (await app.deliver(aDelivery({ Name: 'Old kit' })).expect(200)).body.id;
    await app.db('kits').where({ id: old }).update({ created_at: app.db.raw("now() - interval '100 days'") });
    const dryRun = await session.get('/console/cleanup?days=90');
    expect(dryRun.text).toContain('1 kit would be removed');
    expect(dryRun.text).toContain('Old kit');
    expect(await app.db('kits').where({ id: old }).first()).toBeDefined();
    const cutoff = /name="cutoff" value="([^"]+)"/.exec(dryRun.text)![1]!;

    const done = await session.post('/console/cleanup', { days: '90', cutoff });
    expect(done.status).toBe(200);
    expect(done.text).toContain('Removed 1 kit older than 90 days');
    expect(await app.db('kits').where({ id: old }).first()).toBeUndefined();
    expect(await app.db('kits').count({ n: '*' }).then((r) => Number(r[0]!.n))).toBeGreaterThan(0);
  });

  it('refuses a cut-off of less than a day ago', async () => {
    const answer = await session.post('/console/cleanup', { days: '1', cutoff: new Date().toISOString() });
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('must be at least a day ago');
  });
});

it('shows health: the database, nopCommerce not in use, disk space, the last delivery', async () => {
  const page = await session.get('/console/health');
  expect(page.status).toBe(200);
  expect(page.text).toMatch(/kitbridge's database<\/dt><dd><span class="ok">answers<\/span>/);
  expect(page.text).toContain('not in use');
  expect(page.text).toMatch(/[\d.]+ [KMGT]B free of [\d.]+ [KMGT]B/);
  expect(page.text).toMatch(/Last delivery<\/dt><dd><a href="\/console\/deliveries\/\d+">/);
});

it('escapes hostile kit, team, player and label text on every page', async () => {
  const delivery = aDelivery({
    Name: HOSTILE,
    CategoryName: HOSTILE,
    sizes: [{ Name: HOSTILE, Quantity: 1 }],
    teams: [{ Name: HOSTILE, Units: [{ Name: HOSTILE, Number: HOSTILE_NUMBER, Size: HOSTILE }] }],
  });
  const kit = (await app.deliver(delivery).expect(200)).body.id;
  await app.db('kits').where({ id: kit }).update({ created_at: app.db.raw("now() - interval '400 days'") });
  await session.post('/console/tokens', { label: HOSTILE }).expect(201);
  const deliveryId = (await app.db('deliveries').where({ kit_id: kit }).first('id')).id;
  const pages = [
    '/console/deliveries',
    `/console/deliveries/${deliveryId}`,
    '/console/kits',
    '/console/kits?q=script',
    `/console/kits/${kit}`,
    `/console/kits/${kit}/sheet`,
    `/console/kits/${kit}/sheet?by=team`,
    '/console/tokens',
    '/console/cleanup?days=300',
  ];
  for (const path of pages) {
    const page = await session.get(path);
    expect([path, page.status]).toEqual([path, 200]);
    expect([path, page.text.includes(HOSTILE)]).toEqual([path, false]);
    expect([path, /<script>alert|<img src=x|<i>7/.test(page.text)]).toEqual([path, false]);
    expect([path, page.text.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&quot;&gt;&lt;img src=x')]).toEqual([path, true]);
  }
});
