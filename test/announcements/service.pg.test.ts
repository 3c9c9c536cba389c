import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { addToOutbox } from '../../src/announcements/outbox';
import { generateToken } from '../../src/webhook-tokens/tokens';
import { aToPrintOrder } from '../factories/to-print-order';
import { startWebhookReceiver } from '../helpers/print-room';
import { createServiceDatabase, startServiceProcess } from '../helpers/service-process';
import { waitFor } from '../helpers/wait';

// The built service as `npm start` runs it, with the webhook channel configured.
jest.setTimeout(240_000);

it('records the start point, sends what the print queue queued on its own timer, and stops on SIGTERM', async () => {
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'kitbridge-print-room-'));
  const [database, receiver] = await Promise.all([createServiceDatabase(), startWebhookReceiver()]);
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  try {
    const service = await startServiceProcess(
      {
        DATABASE_URL: database.url,
        // http: the helper reads the start-up banner, which starts with it
        PUBLIC_BASE_URL: 'http://kits.myshop.test',
        ADMIN_TOKEN: generateToken(),
        PRINT_ROOM_WEBHOOK_URL: receiver.url,
        PRINT_ROOM_WEBHOOK_SECRET: secret,
      },
      { cwd: folder },
    );
    try {
      const [start] = await database.db('announcement_channels').select('channel', 'started_at');
      expect(start.channel).toBe('webhook');
      // What the print queue's hook writes in its transaction, from another process on the same database.
      const order = aToPrintOrder({ createdOnUtc: new Date().toISOString() });
      await database.db.transaction((trx) => addToOutbox(trx, order, ['webhook'], new Date()));
      // The service's timer runs every 15 s; this only bounds the wait.
      await waitFor(async () => receiver.received.length > 0, 90_000);
      const { headers, body } = receiver.received[0]!;
      expect(new Webhook(secret).verify(body, headers as Record<string, string>)).toMatchObject({ data: { orderNumber: order.customOrderNumber } });
      await waitFor(async () => (await database.db('print_room_announcements').first('state')).state === 'sent');
    } finally {
      await service.kill('SIGTERM');
    }
    expect(service.output()).not.toContain(secret);
  } finally {
    await Promise.all([database.drop(), receiver.close(), fs.rm(folder, { recursive: true, force: true })]);
  }
});
