import { randomBytes } from 'node:crypto';
import { openPrintRoom, type PrintRoom } from '../../src/announcements/enqueue';
import type { PrintRoomSettings } from '../../src/announcements/settings';
import type { ToPrintOrder } from '../../src/print-queue/types';
import { aToPrintOrder } from '../factories/to-print-order';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { captureLogs } from '../helpers/logs';
import { startSmtpServer, startWebhookReceiver } from '../helpers/print-room';

export const MINUTE = 60_000;
export const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
// The clock the sender is driven by: the real time at the start (the webhook's timestamp is checked against
// it), then moved on by the tests, never waited for.
export const T0 = new Date(Math.floor(Date.now() / 1000) * 1000);
export const webhookOnly = { email: undefined };
export const emailOnly = { webhook: undefined };

/**
 * A test file's print room: its database, a real SMTP server and webhook receiver, captured logs and a clock,
 * emptied before each test. `openRoom` is a kitbridge process's print room: a second one on the same database is a
 * restart, or another process.
 */
export function printRoomFixture() {
  let database: TestDatabase;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let logs: ReturnType<typeof captureLogs>;
  let clock = T0;
  const rooms: PrintRoom[] = [];
  beforeAll(async () => {
    [database, smtp, receiver] = await Promise.all([createTestDatabase(), startSmtpServer(), startWebhookReceiver()]);
  });
  afterAll(() => Promise.all([database.drop(), smtp.stop(), receiver.close()]));
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

  const now = () => clock;
  const settings = (more: Partial<PrintRoomSettings> = {}): PrintRoomSettings => ({
    email: { smtpUrl: smtp.url(), from: 'Print room <kits@myshop.test>', to: ['print@myshop.test', 'boss@myshop.test'] },
    webhook: { url: receiver.url, secret: SECRET },
    publicBaseUrl: 'https://kits.myshop.test',
    announceExisting: false,
    maxAttempts: 4,
    ...more,
  });
  return {
    get database() {
      return database;
    },
    get smtp() {
      return smtp;
    },
    get receiver() {
      return receiver;
    },
    get logs() {
      return logs;
    },
    now,
    advance: (ms: number) => void (clock = new Date(clock.getTime() + ms)),
    settings,
    async openRoom(more: Partial<PrintRoomSettings> = {}): Promise<PrintRoom> {
      const room = await openPrintRoom(database.knex, settings(more), logs.logger, now);
      rooms.push(room);
      return room;
    },
    /** The print queue's transaction in which the order becomes "to print". */
    queue: (room: PrintRoom, order: ToPrintOrder) => database.knex.transaction((trx) => room.enqueueAnnouncement(trx, order)),
    placedNow: () => aToPrintOrder({ createdOnUtc: new Date(clock.getTime() + 1000).toISOString() }),
    rows: () => database.knex('print_room_announcements').orderBy('id').select('order_id', 'channel', 'state', 'attempts', 'due_at', 'last_error'),
    /** the webhook-ids of the webhooks the receiver accepted */
    acceptedIds: () => receiver.received.filter((r) => r.accepted).map((r) => r.headers['webhook-id']),
  };
}
