import { promises as fs } from 'node:fs';
import path from 'node:path';
import { run } from '../../src/cli/main';
import { generateToken } from '../../src/webhook-tokens/tokens';
import { aDelivery, sampleDelivery } from '../factories/delivery';
import { refuseKitInserts } from '../helpers/faults';
import { placeOrder, startShopApp } from '../helpers/nopcommerce';

const ADMIN_TOKEN = generateToken();
let s: Awaited<ReturnType<typeof startShopApp>>;
let origin: string;
beforeAll(async () => {
  s = await startShopApp({ app: { adminToken: ADMIN_TOKEN } });
  origin = await s.app.listen();
});
afterAll(() => s.close());

/** `npx kitbridge …` in-process, against the running service, as an operator's shell would run it. */
async function kitbridge(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    env: { KITBRIDGE_URL: origin, ADMIN_TOKEN, WEBHOOK_TOKENS: s.app.tokens[0] },
    out: (text) => (stdout += text),
    err: (text) => (stderr += text),
  });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}

describe('send-sample', () => {
  it('posts the documentation sample to the local service with its token and prints the product link', async () => {
    const result = await kitbridge('send-sample');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('HTTP 200: the kit is stored.');
    expect(result.stdout).toContain('3 × 128cm at 119.50 → nopCommerce product');
    expect(result.stdout).toMatch(/Product link: http:\/\/kitbridge\.test\/products\/\S+/);
  });

  it('posts a generated kit with an image to a given URL, with --json output', async () => {
    const result = await kitbridge('send-sample', `${origin}${s.app.webhookPath()}`, '--teams', '2', '--units', '5', '--image', '--json');
    expect(result.code).toBe(0);
    const { status, body } = result.json();
    expect(status).toBe(200);
    expect(body).toMatchObject({ quantity: 10, imageUrl: expect.stringMatching(/\.png$/) });
    const units = await s.app.db('kit_units as u').join('kit_teams as t', 't.id', 'u.team_id').where('t.kit_id', body.id).count({ n: '*' });
    expect(Number(units[0]!.n)).toBe(10);
  });

  it('posts a payload file, and fails with the service’s reasons when it is invalid', async () => {
    const file = path.join(s.app.imageDir, 'payload.json');
    await fs.writeFile(file, JSON.stringify({ PublicWebhookId: 'x', SingleItemCheckout: { Name: '' } }));
    const result = await kitbridge('send-sample', '--file', file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('HTTP 400 invalid-payload');
    expect(result.stderr).toContain('SingleItemCheckout.Name');
  });

  it('says clearly when the URL is unknown or nothing listens', async () => {
    const unknown = await kitbridge('send-sample', `${origin}/webhooks/kitbuilder/${generateToken()}`);
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('wrong or revoked token') });
    const down = await kitbridge('send-sample', 'http://127.0.0.1:9/webhooks/kitbuilder/x');
    expect(down).toMatchObject({ code: 1, stderr: expect.stringContaining('Is kitbridge running?') });
  });
});

describe('deliveries, delivery and replay', () => {
  it('lists what arrived with its outcome, newest first, and filters failures and time', async () => {
    await s.app.deliver(aDelivery({ Quantity: -1 }));
    const all = (await kitbridge('deliveries', '--json')).json().deliveries;
    expect(all[0]).toMatchObject({ outcome: 'rejected', status: 400, remoteAddress: expect.any(String), problem: { code: 'invalid-payload' } });
    expect(all.some((d: { outcome: string }) => d.outcome === 'created')).toBe(true);
    const failed = (await kitbridge('deliveries', '--failed', '--json')).json().deliveries;
    expect(failed.every((d: { outcome: string }) => d.outcome === 'rejected' || d.outcome === 'failed')).toBe(true);
    expect((await kitbridge('deliveries', '--since', '2099-01-01T00:00:00Z', '--json')).json().deliveries).toEqual([]);
    const text = await kitbridge('deliveries', '--since', '1h');
    expect(text.stdout).toMatch(/rejected\s+400/);
  });

  it('shows one delivery with the problem returned and the field that failed', async () => {
    const { body } = await s.app.deliver(aDelivery({ UnitPrice: 'free' }));
    const [latest] = (await kitbridge('deliveries', '--limit', '1', '--json')).json().deliveries;
    expect(latest.requestId).toBe(body.requestId);
    const shown = await kitbridge('delivery', latest.id);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('outcome   rejected (HTTP 400)');
    expect(shown.stdout).toContain('SingleItemCheckout.UnitPrice');
  });

  it('replays a delivery that failed while the database was down, once, and refuses what cannot be replayed', async () => {
    const heal = await refuseKitInserts(s.app);
    const delivery = aDelivery();
    const failed = await s.app.deliver(delivery);
    expect(failed.status).toBe(503);
    await heal();
    const [record] = (await kitbridge('deliveries', '--failed', '--limit', '1', '--json')).json().deliveries;
    expect(record).toMatchObject({ outcome: 'failed', replayable: true, kitId: null });

    const replay = await kitbridge('replay', record.id);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain(`Replayed delivery ${record.id}: kit created.`);
    const [newest] = (await kitbridge('deliveries', '--limit', '1', '--json')).json().deliveries;
    expect(newest).toMatchObject({ outcome: 'created', replayOf: record.id, kitId: expect.any(String) });
    // Kit Builder's own retry now gets the same kit.
    expect((await s.app.deliver(delivery)).body.id).toBe(newest.kitId);

    const again = await kitbridge('replay', record.id);
    expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('HTTP 409 not-replayable') });
    const [rejected] = (await kitbridge('deliveries', '--failed', '--json')).json().deliveries.filter((d: { outcome: string }) => d.outcome === 'rejected');
    expect((await kitbridge('replay', rejected.id)).stderr).toContain('only failed deliveries are replayed');
    expect((await kitbridge('delivery', '999999999')).stderr).toContain('HTTP 404');
  });
});

describe('tokens', () => {
  it('adds a token whose URL works at once, lists it, and refuses it as soon as it is revoked', async () => {
    const added = await kitbridge('tokens', 'add', '--label', 'rotation 2026', '--json');
    expect(added.code).toBe(0);
    const { id, url, token } = added.json();
    expect(url).toBe(`http://kitbridge.test/webhooks/kitbuilder/${token}`);
    const local = `${origin}${s.app.webhookPath(token)}`;
    // The service re-reads its tokens when one is added or revoked through it, not only on its timer.
    expect((await kitbridge('send-sample', local)).code).toBe(0);

    const listed = await kitbridge('tokens', 'list');
    expect(listed.stdout).toMatch(new RegExp(`${id}\\s+${token.slice(0, 4)}…\\s+active\\s+rotation 2026`));
    expect(listed.stdout).not.toContain(token);

    expect((await kitbridge('tokens', 'revoke', String(id))).stdout).toContain('revoked');
    expect((await kitbridge('send-sample', local)).code).toBe(1);
    expect((await kitbridge('send-sample')).code).toBe(0); // the configured token is untouched
  });
});

describe('cleanup', () => {
  it('removes old kits and their images, keeps recent ones and ordered ones, and only lists them on --dry-run', async () => {
    const old = await Promise.all([1, 2, 3].map(() => s.app.deliver(aDelivery({ MainImage: sampleDelivery().SingleItemCheckout.MainImage }))));
    const [gone, ordered, alsoGone] = old.map((response) => response.body);
    await placeOrder(s.nop, [{ productId: ordered.lines[0].nopProductId, quantity: 1 }]);
    await s.app.db('kits').whereIn('id', [gone.id, ordered.id, alsoGone.id]).update({ created_at: s.app.db.raw("now() - interval '100 days'") });
    const recent = (await s.app.deliver(aDelivery())).body;
    const image = path.basename(gone.imageUrl);

    const dryRun = await kitbridge('cleanup', '--older-than', '90d', '--dry-run', '--json');
    expect(dryRun.code).toBe(0);
    expect(dryRun.json().removed.map((k: { id: string }) => k.id).sort()).toEqual([gone.id, alsoGone.id].sort());
    expect(await s.app.db('kits').whereIn('id', [gone.id, alsoGone.id]).pluck('id')).toHaveLength(2);
    expect((await s.app.footprint()).files).toContain(image);

    const cleaned = await kitbridge('cleanup', '--older-than', '90d');
    expect(cleaned.code).toBe(0);
    expect(cleaned.stderr).toMatch(/checked 3 of 3 kits older than 90 days/);
    expect(cleaned.stdout).toContain(`kept          ${ordered.id}`);
    const left = await s.app.db('kits').pluck('id');
    expect(left).toEqual(expect.arrayContaining([ordered.id, recent.id]));
    expect(left).not.toContain(gone.id);
    expect(left).not.toContain(alsoGone.id);
    // The image is shared with the kept kit (same bytes), so it stays; the kit pages of removed kits are gone.
    expect((await s.app.footprint()).files).toContain(image);
    expect((await s.app.http().get(`/products/${gone.id}`)).status).toBe(404);
  });

  it('refuses a missing or malformed age', async () => {
    expect(await kitbridge('cleanup')).toMatchObject({ code: 2, stderr: expect.stringContaining('--older-than is required') });
  });
});

describe('the admin API and metrics', () => {
  it('refuses requests without the admin token with 401', async () => {
    const response = await s.app.http().get('/admin/deliveries').set('Authorization', 'Bearer wrong');
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toContain('Bearer');
    expect((await s.app.http().get('/metrics')).status).toBe(401);
  });

  it('serves Prometheus metrics: deliveries by outcome, latency histogram, image bytes', async () => {
    const response = await s.app.http().get('/metrics').set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain; version=0.0.4');
    const created = Number(/kitbridge_deliveries_total\{outcome="created"\} (\d+)/.exec(response.text)![1]);
    expect(created).toBeGreaterThan(0);
    expect(response.text).toMatch(/kitbridge_delivery_duration_seconds_bucket\{le="\+Inf"\} \d+/);
    const bytes = Number(/kitbridge_image_bytes_stored (\d+)/.exec(response.text)![1]);
    expect(bytes).toBeGreaterThan(1_000_000); // the generated 1000x1000 image
  });

  it('answers usage errors with exit code 2 and the command’s help', async () => {
    expect(await kitbridge('frobnicate')).toMatchObject({ code: 2, stderr: expect.stringContaining('Unknown command') });
    expect(await kitbridge('replay')).toMatchObject({ code: 2, stderr: expect.stringContaining('Missing <id>') });
    expect(await kitbridge('tokens', '--help')).toMatchObject({ code: 0, stdout: expect.stringContaining('tokens revoke <id>') });
  });
});

it('has no admin API at all without ADMIN_TOKEN', async () => {
  const plain = await startShopApp();
  try {
    expect((await plain.app.http().get('/admin/deliveries').set('Authorization', `Bearer ${ADMIN_TOKEN}`)).status).toBe(404);
    expect((await plain.app.http().get('/metrics')).status).toBe(404);
  } finally {
    await plain.close();
  }
});
