import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { createTestDatabase } from '../helpers/database';
import { aToPrintOrder } from '../factories/to-print-order';
import { emailOnly, MINUTE, printRoomFixture, SECRET, T0, webhookOnly } from './fixture';

const f = printRoomFixture();
const { openRoom, queue, placedNow, rows, advance } = f;

describe('what the print room is told', () => {
  it('mails the order number, each kit with its garments per size, the total and the print sheet link, as text and HTML', async () => {
    const room = await openRoom(emailOnly);
    const order = placedNow();
    await queue(room, order);
    expect(await room.announcer.runOnce()).toEqual({ sent: 1, retrying: 0, failed: 0 });

    expect(f.smtp.received).toHaveLength(1);
    const mail = f.smtp.received[0]!;
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

    expect(f.receiver.received).toHaveLength(1);
    const { headers, body } = f.receiver.received[0]!;
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
    const sent = f.logs.records().filter((r) => r.msg === 'print room told of an order to print');
    expect(sent.map((r) => [r.channel, r.orderNumber])).toEqual([
      ['email', order.customOrderNumber],
      ['webhook', order.customOrderNumber],
    ]);
    expect(f.logs.lines.join('\n')).not.toMatch(/s3cret|whsec_/);
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
    expect(restarted.startedAt).toEqual(new Map([['email', T0], ['webhook', f.now()]]));
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
