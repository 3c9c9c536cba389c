import { LEASE_MS } from '../../src/announcements/announcer';
import { waitFor } from '../helpers/wait';
import { emailOnly, MINUTE, printRoomFixture, T0, webhookOnly } from './fixture';

const f = printRoomFixture();
const { openRoom, queue, placedNow, rows, advance, acceptedIds, settings } = f;

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
    expect(f.smtp.received).toHaveLength(1);
    expect(f.receiver.received).toHaveLength(1);
  });

  it('queues nothing when the transaction that made the order "to print" rolls back', async () => {
    const room = await openRoom();
    await expect(
      f.database.knex.transaction(async (trx) => {
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
    await f.smtp.stop();
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
      const retry = f.logs.records().find((r) => r.msg === 'could not tell the print room of an order; will try again');
      expect(retry).toMatchObject({ channel: 'email', cause: expect.stringMatching(/ECONNREFUSED/) });
    } finally {
      await f.smtp.start();
    }
    advance(2 * MINUTE);
    expect(await room.announcer.runOnce()).toEqual({ sent: 2, retrying: 0, failed: 0 });
    advance(24 * 60 * MINUTE);
    await room.announcer.runOnce();
    expect(f.smtp.received.map((mail) => mail.subject).sort()).toEqual(orders.map((o) => `To print: order ${o.customOrderNumber}, 9 garments`));
    expect((await rows()).map((r) => r.state)).toEqual(['sent', 'sent']);
  });

  it('retries the webhook while its receiver answers 503, after its Retry-After, and it is accepted once', async () => {
    const room = await openRoom(webhookOnly);
    const order = placedNow();
    await queue(room, order);
    f.receiver.answer({ status: 503, headers: { 'Retry-After': '300' } });
    expect(await room.announcer.runOnce()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    const [row] = await rows();
    expect(row.last_error).toBe('the receiver answered 503 Service Unavailable');
    expect(new Date(row.due_at)).toEqual(new Date(T0.getTime() + 5 * MINUTE));
    advance(4 * MINUTE);
    await room.announcer.runOnce();
    expect(f.receiver.received).toHaveLength(1);

    f.receiver.answer({ status: 200 });
    advance(MINUTE);
    expect(await room.announcer.runOnce()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    advance(24 * 60 * MINUTE);
    await room.announcer.runOnce();
    // Both attempts carry the same webhook-id, so the receiver can tell the retry is the same message.
    const ids = f.receiver.received.map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(1);
    expect(acceptedIds()).toEqual([ids[0]]);
  });

  it('shows an announcement as failed after the last attempt, and at once when the receiver answers 410 Gone', async () => {
    const room = await openRoom(webhookOnly);
    await queue(room, placedNow());
    f.receiver.answer({ status: 500 });
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      await room.announcer.runOnce();
      advance(2 ** attempt * MINUTE);
    }
    expect(await rows()).toEqual([expect.objectContaining({ state: 'failed', attempts: 4, last_error: 'the receiver answered 500 Internal Server Error' })]);
    expect(f.logs.records().some((r) => r.msg.startsWith('gave up telling the print room') && r.level === 50)).toBe(true);

    f.receiver.answer({ status: 410 });
    await queue(room, placedNow());
    expect(await room.announcer.runOnce()).toEqual({ sent: 0, retrying: 0, failed: 1 });
  });

  it('shows the mail as failed at once when the SMTP server refuses the sign-in, without logging the password', async () => {
    const room = await openRoom({ webhook: undefined, email: { ...settings().email!, smtpUrl: f.smtp.url().replace('s3cret', 'wr0ng-pa55') } });
    await queue(room, placedNow());
    expect(await room.announcer.runOnce()).toEqual({ sent: 0, retrying: 0, failed: 1 });
    expect((await rows())[0].last_error).toMatch(/535/);
    expect(f.smtp.received).toEqual([]);
    expect(f.logs.lines.join('\n')).not.toContain('wr0ng-pa55');
  });

  it('sends nothing twice when a sender dies mid-send and a new one takes over after the lease', async () => {
    const first = await openRoom(webhookOnly);
    const [stuck, next] = [placedNow(), placedNow()];
    await queue(first, stuck);
    await queue(first, next);
    f.receiver.answer('hang');
    // The first process sends `stuck`, and never hears back: it is as good as dead.
    const dead = first.announcer.runOnce();
    await waitFor(async () => f.receiver.received.length === 1);
    f.receiver.answer({ status: 204 });

    // A new process on the same database leaves the row under lease alone...
    const second = await openRoom(webhookOnly);
    expect(await second.announcer.runOnce()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    // ...and takes it over once the lease has run out: it may have reached the receiver, so it goes again,
    // with the same webhook-id for the receiver to drop.
    advance(LEASE_MS);
    expect(await second.announcer.runOnce()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    // The dead one's late outcome changes nothing: its claim is no longer the row's.
    f.receiver.dropConnections();
    expect(await dead).toEqual({ sent: 0, retrying: 0, failed: 0 });
    advance(LEASE_MS * 10);
    await second.announcer.runOnce();

    expect((await rows()).map((r) => r.state)).toEqual(['sent', 'sent']);
    const ids = f.receiver.received.map((r) => r.headers['webhook-id']);
    expect(ids).toEqual([ids[0], expect.any(String), ids[0]]);
    expect(new Set(acceptedIds()).size).toBe(2);
    expect(acceptedIds()).toHaveLength(2);
    expect(f.logs.records().some((r) => r.msg.includes('the lease ran out during the send'))).toBe(true);
  });

  it('sends each order once when two processes send at the same time', async () => {
    const [a, b] = [await openRoom(webhookOnly), await openRoom(webhookOnly)];
    const orders = Array.from({ length: 12 }, placedNow);
    for (const order of orders) await queue(a, order);
    const [ranA, ranB] = await Promise.all([a.announcer.runOnce(), b.announcer.runOnce()]);
    expect(ranA.sent + ranB.sent).toBe(12);
    const ids = f.receiver.received.map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
  });
});
