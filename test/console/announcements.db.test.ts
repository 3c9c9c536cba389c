import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { openPrintRoom, type PrintRoom } from '../../src/announcements/enqueue';
import { generateToken } from '../../src/webhook-tokens/tokens';
import { aDelivery } from '../factories/delivery';
import { aToPrintOrder } from '../factories/to-print-order';
import { startTestApp, type TestApp } from '../helpers/app';
import { signIn, type ConsoleSession } from '../helpers/console';
import { startSmtpServer, startWebhookReceiver } from '../helpers/print-room';

const ADMIN_TOKEN = generateToken();
const PLAYERS = ['Søren Ærøe', 'Mads Holm', 'Åse Lund'];
let clock = new Date();
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let room: PrintRoom;
let app: TestApp;
/** the console of a process with the print room configured */
let configured: Pick<TestApp, 'http'>;
let session: ConsoleSession;

beforeAll(async () => {
  [smtp, receiver] = await Promise.all([startSmtpServer(), startWebhookReceiver()]);
  app = await startTestApp({ adminToken: ADMIN_TOKEN });
  room = await openPrintRoom(
    app.db,
    {
      email: { smtpUrl: smtp.url(), from: 'kits@myshop.test', to: ['print@myshop.test'] },
      webhook: { url: receiver.url, secret: `whsec_${randomBytes(32).toString('base64')}` },
      publicBaseUrl: 'http://kitbridge.test',
      announceExisting: false,
      maxAttempts: 1,
    },
    pino({ level: 'silent' }),
    () => clock,
  );
  configured = { http: () => app.httpWith({ printRoom: room }) };
  session = await signIn(configured, ADMIN_TOKEN);
});
afterAll(async () => {
  room.announcer.close();
  await Promise.all([app.close(), smtp.stop(), receiver.close()]);
});

const queue = (order = aToPrintOrder({ createdOnUtc: new Date(clock.getTime() + 1000).toISOString() })) =>
  app.db.transaction((trx) => room.enqueueAnnouncement(trx, order)).then(() => order);

it('tells the print room of a kit with a roster in counts and a link only: no player name, and the link needs a sign-in', async () => {
  const kit = (
    await app
      .deliver(
        aDelivery({
          Name: 'Ølstykke FC Home Shirt',
          sizes: [{ Name: 'S', Quantity: 2 }, { Name: 'M', Quantity: 1 }],
          teams: [{ Name: 'Ølstykke U12', Units: [{ Name: PLAYERS[0]!, Number: '10', Size: 'S' }, { Name: PLAYERS[1]!, Number: '7', Size: 'M' }, { Name: PLAYERS[2]!, Number: '2', Size: 'S' }] }],
        }),
      )
      .expect(200)
  ).body;
  const order = await queue(aToPrintOrder({ createdOnUtc: new Date(clock.getTime() + 1000).toISOString(), kits: [{ kitId: kit.id, name: kit.name, sizes: [{ size: 'S', garments: 2 }, { size: 'M', garments: 1 }] }] }));
  expect(await room.announcer.runOnce()).toMatchObject({ sent: 2 });

  const told = [smtp.received[0]!.text, smtp.received[0]!.html, smtp.received[0]!.subject, receiver.received[0]!.body].join('\n');
  expect(told).toContain(order.customOrderNumber);
  for (const name of [...PLAYERS, 'Ølstykke U12']) expect(told).not.toContain(name);
  const link = `http://kitbridge.test/console/orders/${order.orderId}/sheet`;
  expect(told).toContain(link);
  // (Without the nopCommerce adapter here the sheet route does not exist: 404; with it, the sign-in's 303.)
  const anonymous = await configured.http().get(new URL(link).pathname);
  expect([303, 404]).toContain(anonymous.status);
  for (const name of PLAYERS) expect(anonymous.text).not.toContain(name);
});

it('lists a failed announcement on the health page with its cause, and sends it again from there', async () => {
  receiver.answer({ status: 500 });
  const order = await queue();
  await room.announcer.runOnce();
  const health = await session.get('/console/health');
  expect(health.text).toContain('Print room announcements');
  const row = health.text.split('<tr>').find((tr) => tr.includes(order.customOrderNumber))!;
  expect(row).toContain('Webhook');
  expect(row).toContain('the receiver answered 500 Internal Server Error');
  const action = /action="(\/console\/announcements\/\d+\/send-again)"/.exec(row)![1]!;

  // A form from elsewhere, or without the session's form token, changes nothing.
  expect((await session.post(action, { _csrf: 'forged' })).status).toBe(403);
  expect((await session.post(action).set('Origin', 'https://evil.example')).status).toBe(403);

  receiver.answer({ status: 204 });
  const again = await session.post(action);
  expect(again.status).toBe(200);
  expect(again.text).toContain(`The webhook for order ${order.customOrderNumber} goes out again within a minute.`);
  expect((await session.post(action)).status).toBe(404);
  // The console makes it due at the real time; the sender's clock catches up.
  clock = new Date(Date.now() + 1000);
  expect(await room.announcer.runOnce()).toMatchObject({ sent: 1 });
  expect(receiver.received.filter((r) => r.accepted && r.body.includes(`"orderId":${order.orderId}`))).toHaveLength(1);
  expect((await session.get('/console/health')).text).not.toContain(action);
});

it('says on the health page how to turn announcements on when no channel is configured', async () => {
  const page = await (await signIn(app, ADMIN_TOKEN)).get('/console/health');
  expect(page.text).toContain('Not in use: set <code>PRINT_ROOM_EMAIL</code>');
});
