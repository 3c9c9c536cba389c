import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { LEASE_MS } from '../../src/announcements/announcer';
import { openPrintRoom, type PrintRoom } from '../../src/announcements/enqueue';
import type { PrintRoomSettings } from '../../src/announcements/settings';
import type { ToPrintOrder } from '../../src/print-queue/types';
import { aToPrintOrder } from '../factories/to-print-order';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { captureLogs } from '../helpers/logs';
import { startSmtpServer, startWebhookReceiver } from '../helpers/print-room';
import { waitFor } from '../helpers/wait';

const MINUTE = 60_000;
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
// The clock the sender is driven by: the real time at the start (the webhook's timestamp is checked against
// it), then moved on by the tests, never waited for.
const T0 = new Date(Math.floor(Date.now() / 1000) * 1000);
let clock: Date;
const now = () => clock;
const advance = (ms: number) => void (clock = new Date(clock.getTime() + ms));

let database: TestDatabase;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let logs: ReturnType<typeof captureLogs>;
const rooms: PrintRoom[] = [];

beforeAll(async () => {
  [database, smtp, receiver] = await Promise.all([createTestDatabase(), startSmtpServer(), startWebhookReceiver()]);
});
afterAll(async () => {
  await Promise.all([database.drop(), smtp.stop(), receiver.close()]);
});
beforeEach(async () => {
  await database.knex('print_room_announcements').del();
  await database.knex('announcement_channels').del();
  smtp.received.length = 0;
  receiver.received.length = 0;
  receiver.answer({ status: 204 });
  clock = T0;
  logs = captureLogs();
});
afterEach(() => rooms.splice(0).forEach((room) => room.announcer.close()));

const settings = (more: Partial<PrintRoomSettings> = {}): PrintRoomSettings => ({
  email: { smtpUrl: smtp.url(), from: 'Print room <kits@myshop.test>', to: ['print@myshop.test', 'boss@myshop.test'] },
  webhook: { url: receiver.url, secret: SECRET },
  publicBaseUrl: 'https://kits.myshop.test',
  announceExisting: false,
  maxAttempts: 4,
  ...more,
});
/** A kitbridge process's print room: a new one on the same database is a restart, or a second process. */
async function openRoom(more: Partial<PrintRoomSettings> = {}): Promise<PrintRoom> {
  const room = await openPrintRoom(database.knex, settings(more), logs.logger, now);
  rooms.push(room);
  return room;
}
/** The print queue's transaction in which the order becomes "to print". */
const queue = (room: PrintRoom, order: ToPrintOrder) => database.knex.transaction((trx) => room.enqueueAnnouncement(trx, order));
const placedNow = () => aToPrintOrder({ createdOnUtc: new Date(clock.getTime() + 1000).toISOString() });
const rows = () => database.knex('print_room_announcements').orderBy('id').select('order_id', 'channel', 'state', 'attempts', 'due_at', 'last_error');
const webhookOnly = { email: undefined };
const emailOnly = { webhook: undefined };
/** Webhooks the receiver accepted, by webhook-id. */
const acceptedIds = () => receiver.received.filter((r) => r.accepted).map((r) => r.headers['webhook-id']);

describe('what the print room is told', () => {
  it('mails the order number, each kit with its garments per size, the total and the print sheet link, as text and HTML', async () => {
    const room = await openRoom(emailOnly);
    const order = placedNow();
    await queue(room, order);
    expect(await room.announcer.runOnce()).toEqual({ sent: 1, retrying: 0, failed: 0 });

    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.subject).toBe(`To print: order ${order.customOrderNumber}, 9 garments`);
    expect(mail.from!.value).toEqual([{ name: 'Print room', address: 'kits@myshop.test' }]);
    expect([mail.to].flat().flatMap((to) => to!.value.map((v) => v.address))).toEqual(['print@myshop.test', 'boss@myshop.test']);
    const link = `https://kits.myshop.test/console/orders/${order.orderId}/sheet`;
    expect(mail.text).toContain(`Order ${order.customOrderNumber} is ready to print`);
    expect(mail.text).toContain('Ølstykke FC Home Shirt: 5 garments\n  128cm: 3\n  M: 2\n');
    expect(mail.text).toContain('Ølstykke FC Shorts <junior>: 4 garments\n  128cm: 4\n');
    expect(mail.text).toContain('9 garments in all.');
    expect(mail.text).toContain(link);
    expect(mail.html).toContain(`<a href="${link}">`);
    expect(mail.html).toContain('Ølstykke FC Shorts &lt;junior&gt;: 4 garments');
    expect(mail.html).toContain('<tr><td>M</td><td align="right">2</td></tr>');
    expect(mail.messageId).toMatch(/^<msg_[\w-]+@kits\.myshop\.test>$/);
  });

  it('posts JSON signed the Standard Webhooks way, which the standardwebhooks library verifies', async () => {
    const room = await openRoom(webhookOnly);
    const order = placedNow();
    await queue(room, order);
    await room.announcer.runOnce();

    expect(receiver.received).toHaveLength(1);
    const { headers, body } = receiver.received[0]!;
    expect(headers['content-type']).toBe('application/json');
    expect(headers['webhook-id']).toMatch(/^msg_[\w-]+$/);
    expect(headers['webhook-timestamp']).toBe(String(T0.getTime() / 1000));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+={0,2}$/);
    const verified = new Webhook(SECRET).verify(body, headers as Record<string, string>);
    expect(verified).toEqual({
      type: 'order.to_print',
      timestamp: T0.toISOString(),
      text: expect.stringContaining(`order ${order.customOrderNumber}, 9 garments`),
      data: {
        orderId: order.orderId,
        orderNumber: order.customOrderNumber,
        createdOnUtc: order.createdOnUtc,
        garments: 9,
        kits: [
          { kitId: order.kits[0]!.kitId, name: 'Ølstykke FC Home Shirt', garments: 5, sizes: order.kits[0]!.sizes },
          { kitId: order.kits[1]!.kitId, name: 'Ølstykke FC Shorts <junior>', garments: 4, sizes: order.kits[1]!.sizes },
        ],
        sheetUrl: `https://kits.myshop.test/console/orders/${order.orderId}/sheet`,
      },
    });
    expect(() => new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify(body, headers as Record<string, string>)).toThrow();
  });

  it('logs each send for the operator, and neither the SMTP password nor the webhook secret', async () => {
    const room = await openRoom();
    const order = placedNow();
    await queue(room, order);
    await room.announcer.runOnce();
    const sent = logs.records().filter((r) => r.msg === 'print room told of an order to print');
    expect(sent.map((r) => [r.channel, r.orderNumber])).toEqual([
      ['email', order.customOrderNumber],
      ['webhook', order.customOrderNumber],
    ]);
    expect(logs.lines.join('\n')).not.toMatch(/s3cret|whsec_/);
  });
});

describe('exactly once', () => {
  it('queues one announcement per order and channel, however often the order becomes "to print"', async () => {
    const room = await openRoom();
    const order = placedNow();
    await queue(room, order);
    await queue(room, order);
    expect((await rows()).map((r) => r.channel)).toEqual(['email', 'webhook']);
    await room.announcer.runOnce();
    await queue(room, order);
    advance(LEASE_MS * 10);
    await room.announcer.runOnce();
    expect(smtp.received).toHaveLength(1);
    expect(receiver.received).toHaveLength(1);
  });

  it('queues nothing when the transaction that made the order "to print" rolls back', async () => {
    const room = await openRoom();
    await expect(
      database.knex.transaction(async (trx) => {
        await room.enqueueAnnouncement(trx, placedNow());
        throw new Error('the print queue failed after the hook');
      }),
    ).rejects.toThrow('the print queue failed');
    expect(await rows()).toEqual([]);
  });

  it('retries mail while the SMTP server is down, 1 minute then doubling, and sends each order once when it is back', async () => {
    const room = await openRoom(emailOnly);
    const orders = [placedNow(), placedNow()];
    for (const order of orders) await queue(room, order);
    await smtp.stop();
    try {
      // The first row finds the server down; the rest of the run leaves the channel alone.
      expect(await room.announcer.runOnce()).toEqual({ sent: 0, retrying: 1, failed: 0 });
      const [first] = await rows();
      expect(first).toMatchObject({ state: 'pending', attempts: 1, last_error: expect.stringMatching(/ECONNREFUSED/) });
      expect(new Date(first.due_at)).toEqual(new Date(T0.getTime() + MINUTE));
      // The longest waiting row goes first: the second order's first attempt, then the first's second.
      advance(MINUTE);
      await room.announcer.runOnce();
      advance(MINUTE);
      await room.announcer.runOnce();
      expect((await rows()).map((r) => r.attempts)).toEqual([2, 1]);
      expect(new Date((await rows())[0].due_at)).toEqual(new Date(T0.getTime() + 2 * MINUTE + 2 * MINUTE));
      const retry = logs.records().find((r) => r.msg === 'could not tell the print room of an order; will try again');
      expect(retry).toMatchObject({ channel: 'email', cause: expect.stringMatching(/ECONNREFUSED/) });
    } finally {
      await smtp.start();
    }
    advance(2 * MINUTE);
    expect(await room.announcer.runOnce()).toEqual({ sent: 2, retrying: 0, failed: 0 });
    advance(24 * 60 * MINUTE);
    await room.announcer.runOnce();
    expect(smtp.received.map((mail) => mail.subject).sort()).toEqual(orders.map((o) => `To print: order ${o.customOrderNumber}, 9 garments`));
    expect((await rows()).map((r) => r.state)).toEqual(['sent', 'sent']);
  });

  it('retries the webhook while its receiver answers 503, after its Retry-After, and it is accepted once', async () => {
    const room = await openRoom(webhookOnly);
    const order = placedNow();
    await queue(room, order);
    receiver.answer({ status: 503, headers: { 'Retry-After': '300' } });
    expect(await room.announcer.runOnce()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    const [row] = await rows();
    expect(row.last_error).toBe('the receiver answered 503 Service Unavailable');
    expect(new Date(row.due_at)).toEqual(new Date(T0.getTime() + 5 * MINUTE));
    advance(4 * MINUTE);
    await room.announcer.runOnce();
    expect(receiver.received).toHaveLength(1);

    receiver.answer({ status: 200 });
    advance(MINUTE);
    expect(await room.announcer.runOnce()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    advance(24 * 60 * MINUTE);
    await room.announcer.runOnce();
    // Both attempts carry the same webhook-id, so the receiver can tell the retry is the same message.
    const ids = receiver.received.map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(1);
    expect(acceptedIds()).toEqual([ids[0]]);
  });

  it('shows an announcement as failed after the last attempt, and at once when the receiver answers 410 Gone', async () => {
    const room = await openRoom(webhookOnly);
    await queue(room, placedNow());
    receiver.answer({ status: 500 });
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      await room.announcer.runOnce();
      advance(2 ** attempt * MINUTE);
    }
    expect(await rows()).toEqual([expect.objectContaining({ state: 'failed', attempts: 4, last_error: 'the receiver answered 500 Internal Server Error' })]);
    expect(logs.records().some((r) => r.msg.startsWith('gave up telling the print room') && r.level === 50)).toBe(true);

    receiver.answer({ status: 410 });
    await queue(room, placedNow());
    expect(await room.announcer.runOnce()).toEqual({ sent: 0, retrying: 0, failed: 1 });
  });

  it('shows the mail as failed at once when the SMTP server refuses the sign-in, without logging the password', async () => {
    const room = await openRoom({ webhook: undefined, email: { ...settings().email!, smtpUrl: smtp.url().replace('s3cret', 'wr0ng-pa55') } });
    await queue(room, placedNow());
    expect(await room.announcer.runOnce()).toEqual({ sent: 0, retrying: 0, failed: 1 });
    expect((await rows())[0].last_error).toMatch(/535/);
    expect(smtp.received).toEqual([]);
    expect(logs.lines.join('\n')).not.toContain('wr0ng-pa55');
  });

  it('sends nothing twice when a sender dies mid-send and a new one takes over after the lease', async () => {
    const first = await openRoom(webhookOnly);
    const [stuck, next] = [placedNow(), placedNow()];
    await queue(first, stuck);
    await queue(first, next);
    receiver.answer('hang');
    // The first process sends `stuck`, and never hears back: it is as good as dead.
    const dead = first.announcer.runOnce();
    await waitFor(async () => receiver.received.length === 1);
    receiver.answer({ status: 204 });

    // A new process on the same database leaves the row under lease alone...
    const second = await openRoom(webhookOnly);
    expect(await second.announcer.runOnce()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    // ...and takes it over once the lease has run out: it may have reached the receiver, so it goes again,
    // with the same webhook-id for the receiver to drop.
    advance(LEASE_MS);
    expect(await second.announcer.runOnce()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    // The dead one's late outcome changes nothing: its claim is no longer the row's.
    receiver.dropConnections();
    expect(await dead).toEqual({ sent: 0, retrying: 0, failed: 0 });
    advance(LEASE_MS * 10);
    await second.announcer.runOnce();

    expect((await rows()).map((r) => r.state)).toEqual(['sent', 'sent']);
    const ids = receiver.received.map((r) => r.headers['webhook-id']);
    expect(ids).toEqual([ids[0], expect.any(String), ids[0]]);
    expect(new Set(acceptedIds()).size).toBe(2);
    expect(acceptedIds()).toHaveLength(2);
    expect(logs.records().some((r) => r.msg.includes('the lease ran out during the send'))).toBe(true);
  });

  it('sends each order once when two processes send at the same time', async () => {
    const [a, b] = [await openRoom(webhookOnly), await openRoom(webhookOnly)];
    const orders = Array.from({ length: 12 }, placedNow);
    for (const order of orders) await queue(a, order);
    const [ranA, ranB] = await Promise.all([a.announcer.runOnce(), b.announcer.runOnce()]);
    expect(ranA.sent + ranB.sent).toBe(12);
    const ids = receiver.received.map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
  });
});

describe('orders placed before the print room was told of any', () => {
  it('announces none placed before a channel was first configured, and keeps that start point across restarts', async () => {
    const room = await openRoom(emailOnly);
    const before = aToPrintOrder({ createdOnUtc: new Date(T0.getTime() - 1000).toISOString() });
    const after = placedNow();
    await queue(room, before);
    await queue(room, after);
    expect((await rows()).map((r) => r.order_id)).toEqual([after.orderId]);

    // A day later the webhook is added: its own start point is then, the e-mail's stays.
    advance(24 * 60 * MINUTE);
    const restarted = await openRoom();
    const inBetween = aToPrintOrder({ createdOnUtc: new Date(T0.getTime() + 60 * MINUTE).toISOString() });
    await queue(restarted, inBetween);
    expect((await rows()).filter((r) => r.order_id === inBetween.orderId).map((r) => r.channel)).toEqual(['email']);
    expect(restarted.startedAt).toEqual(new Map([['email', T0], ['webhook', clock]]));
  });

  it('announces them too with PRINT_ROOM_ANNOUNCE_EXISTING', async () => {
    const room = await openRoom({ announceExisting: true });
    await queue(room, aToPrintOrder({ createdOnUtc: '2020-01-01T00:00:00Z' }));
    expect((await rows()).map((r) => r.channel)).toEqual(['email', 'webhook']);
  });
});

it('has a migration whose down removes the outbox and the start points, and whose up brings them back', async () => {
  const scratch = await createTestDatabase();
  try {
    await scratch.migration('down', '20261202120000_create_print_room_announcements');
    for (const table of ['print_room_announcements', 'announcement_channels']) expect(await scratch.knex.schema.hasTable(table)).toBe(false);
    expect(await scratch.knex.schema.hasTable('console_sessions')).toBe(true);
    await scratch.migration('up', '20261202120000_create_print_room_announcements');
    for (const table of ['print_room_announcements', 'announcement_channels']) expect(await scratch.knex.schema.hasTable(table)).toBe(true);
  } finally {
    await scratch.drop();
  }
});
