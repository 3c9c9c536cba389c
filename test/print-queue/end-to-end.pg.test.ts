import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { readAddressFile } from '../../src/http/address-file';
import { generateToken } from '../../src/webhook-tokens/tokens';
import { aDelivery } from '../factories/delivery';
import { signIn } from '../helpers/console';
import { checkoutKits, markPaid } from '../helpers/nop-orders';
import { createNopDatabase } from '../helpers/nopcommerce';
import { startSmtpServer, startWebhookReceiver } from '../helpers/print-room';
import { createServiceDatabase, startServiceProcess } from '../helpers/service-process';
import { waitFor } from '../helpers/wait';

// The built service as `npm start` runs it, on a nopCommerce shop, with both print room channels: what the lead
// wired in server.ts (the queue job's hook into the outbox, both timers) and nothing else stands in for it.
jest.setTimeout(120_000);

const PLAYERS = ['Ida Thorsen', 'Malthe Berg', 'Nora Lind'];
const nowUtc = () => new Date().toISOString().replace('T', ' ').replace('Z', '');
type Link = { id: string; lines: Array<{ nopProductId: number; size: string; quantity: number }> };

/**
 * A scratch nopCommerce shop on PostgreSQL, kitbridge's own database, the print room's SMTP server and webhook
 * receiver, and how to start the built service on them (again, on the same data, for a restart).
 */
async function openShop() {
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'kitbridge-e2e-'));
  const [database, nop, smtp, receiver] = await Promise.all([createServiceDatabase(), createNopDatabase(), startSmtpServer(), startWebhookReceiver()]);
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const [adminToken, webhookToken] = [generateToken(), generateToken()];
  const dataDir = path.join(folder, 'data');
  const env = {
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    CATALOG: 'nopcommerce',
    NOPCOMMERCE_DATABASE_URL: nop.url,
    NOPCOMMERCE_TAX_CATEGORY_ID: '1',
    // the scratch shop enters prices without tax
    KITBUILDER_PRICES_INCLUDE_TAX: 'false',
    // http: the helper reads the start-up banner, which starts with it
    PUBLIC_BASE_URL: 'http://kits.myshop.test',
    ADMIN_TOKEN: adminToken,
    WEBHOOK_TOKENS: webhookToken,
    SMTP_URL: smtp.url(),
    SMTP_FROM: 'Kitbridge <kits@myshop.test>',
    PRINT_ROOM_EMAIL: 'print@myshop.test',
    PRINT_ROOM_WEBHOOK_URL: receiver.url,
    PRINT_ROOM_WEBHOOK_SECRET: secret,
    // the shortest read of the shop, so that the test waits seconds, not minutes
    PRINT_QUEUE_INTERVAL_SECONDS: '2',
    // a shop's server off UTC: the shop's UTC columns and the print room's start point must still compare
    TZ: 'Europe/Copenhagen',
  };
  const outbox = (orderId: number) => database.db('print_room_announcements').where({ order_id: orderId }).select('channel', 'state', 'last_error');
  const toldOf = (orderId: number) => ({
    mails: smtp.received.filter((mail) => mail.subject?.startsWith(`To print: order ${orderId},`)),
    webhooks: receiver.received.filter((hook) => JSON.parse(hook.body).data.orderId === orderId),
  });
  return {
    smtp,
    receiver,
    secret,
    adminToken,
    toldOf,
    /** The built service; reached where it says it listens (the banner shows PUBLIC_BASE_URL), as the CLI finds it. */
    async start() {
      const started = await startServiceProcess(env, { cwd: folder });
      const origin = readAddressFile(dataDir)!;
      const deliver = async (delivery: object) => {
        const answer = await fetch(`${origin}/webhooks/kitbuilder/${webhookToken}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(delivery) });
        expect(answer.status).toBe(200);
        return (await answer.json()) as Link;
      };
      return { ...started, origin, deliver };
    },
    /** An order of the kit's products checked out and paid now: orders older than the print room's start point are not announced. */
    async paidOrder(kit: Link, quantities: number[]) {
      const orderId = await checkoutKits(nop, quantities.map((quantity, i) => ({ productId: kit.lines[i]!.nopProductId, quantity })), nowUtc());
      await markPaid(nop, orderId);
      return orderId;
    },
    /** Sent on both channels, and recorded so, before the service may be stopped; on a timeout, says what is missing. */
    toldOnBoth: (orderId: number) =>
      waitFor(async () => {
        const sent = (await outbox(orderId)).filter((row) => row.state === 'sent');
        return sent.length === 2 && toldOf(orderId).mails.length > 0 && toldOf(orderId).webhooks.length > 0;
      }, 60_000).catch(async (error: Error) => {
        const queued = await database.db('print_queue_orders').where({ order_id: orderId }).first();
        throw new Error(`${error.message}: order ${orderId} in the queue ${JSON.stringify(queued)}, outbox ${JSON.stringify(await outbox(orderId))}`);
      }),
    close: () => Promise.all([database.drop(), nop.drop(), smtp.stop(), receiver.close(), fs.rm(folder, { recursive: true, force: true })]),
  };
}

let shop: Awaited<ReturnType<typeof openShop>>;
beforeAll(async () => (shop = await openShop()));
afterAll(() => shop?.close());

/** What the print room was told of the order: once on each channel, its number and counts, a link, no names. */
function expectToldOnce(orderId: number, kit: Link) {
  const { mails, webhooks } = shop.toldOf(orderId);
  expect([mails.length, webhooks.length]).toEqual([1, 1]);
  const [mail, { headers, body }] = [mails[0]!, webhooks[0]!];
  expect(mail.to).toMatchObject({ text: 'print@myshop.test' });
  expect(mail.subject).toBe(`To print: order ${orderId}, 5 garments`);
  expect(mail.text).toContain(`Away Shirt: 5 garments\n  128cm: 2\n  140cm: 3`);
  expect(mail.text).toContain(`Print sheet (sign in to the console): http://kits.myshop.test/console/orders/${orderId}/sheet\n`);
  expect(new Webhook(shop.secret).verify(body, headers as Record<string, string>)).toMatchObject({
    type: 'order.to_print',
    data: {
      orderId,
      orderNumber: String(orderId),
      garments: 5,
      kits: [{ kitId: kit.id, name: 'Away Shirt', garments: 5, sizes: [{ size: '128cm', garments: 2 }, { size: '140cm', garments: 3 }] }],
    },
  });
  for (const told of [body, mail.text, mail.html]) for (const player of PLAYERS) expect(told).not.toContain(player);
}

it('tells the print room once, by mail and signed webhook, of a kit order paid in the shop, lists it to print, and sends nothing again after a restart', async () => {
  let service = await shop.start();
  let orderId: number;
  try {
    const teams = [{ Name: 'Piger U11', Units: PLAYERS.map((Name, i) => ({ Name, Number: String(i + 4), Size: i === 0 ? '128cm' : '140cm' })) }];
    const kit = await service.deliver(aDelivery({ Name: 'Away Shirt', sizes: [{ Name: '128cm', Quantity: 1 }, { Name: '140cm', Quantity: 2 }], teams }));
    orderId = await shop.paidOrder(kit, [2, 3]);
    await shop.toldOnBoth(orderId);
    expectToldOnce(orderId, kit);

    const console = await signIn({ http: () => request(service.origin) }, shop.adminToken);
    const queue = await console.get('/console/queue').expect(200);
    expect(queue.text).toContain('To print (1)');
    expect(queue.text).toContain(`aria-label="Select order ${orderId}"`);
    // The mail's link is the order's sheet, behind the sign-in: it holds the names the mail leaves out.
    const sheet = `/console/orders/${orderId}/sheet`;
    await request(service.origin).get(sheet).expect(303).expect('Location', /^\/console\/sign-in/);
    expect((await console.get(sheet).expect(200)).text).toContain(PLAYERS[1]);
  } finally {
    await service.kill('SIGTERM');
  }

  // The restarted service reads the same order again (it is young, so re-read on every run) and sends on its
  // own timers: a second order told of on both channels shows that both ran, and the first is not told again.
  const before = service.output();
  service = await shop.start();
  try {
    const kit = await service.deliver(aDelivery({ Name: 'Keeper Shirt', sizes: [{ Name: 'M', Quantity: 1 }] }));
    await shop.toldOnBoth(await shop.paidOrder(kit, [1]));
    expect([shop.smtp.received.length, shop.receiver.received.length]).toEqual([2, 2]);
    expect(shop.toldOf(orderId)).toMatchObject({ mails: [expect.anything()], webhooks: [expect.anything()] });
  } finally {
    await service.kill('SIGTERM');
  }
  // Nothing went wrong on the way (a send retried, a read of the shop that failed: each logs a warning), and
  // the secret is never printed.
  for (const output of [before, service.output()]) {
    const warnings = output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line)).filter((entry) => entry.level >= 40);
    expect(warnings.map((entry) => entry.msg)).toEqual(['settings disagree about HTTPS']);
    expect(output).not.toContain(shop.secret);
  }
});
