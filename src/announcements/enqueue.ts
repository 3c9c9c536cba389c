import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Db } from '../db/database';
import type { ToPrintOrder } from '../print-queue/types';
import { createAnnouncer, type Announcer } from './announcer';
import { emailSender } from './email';
import { addToOutbox, startPoints } from './outbox';
import type { Sender } from './sender';
import { channelsOf, type Channel, type PrintRoomSettings } from './settings';
import { webhookSender } from './webhook';

/** The print queue's hook: called inside the transaction in which an order becomes "to print". */
export type EnqueueAnnouncement = (trx: Knex.Transaction, order: ToPrintOrder) => Promise<void>;

export interface PrintRoom {
  channels: Channel[];
  /** when each channel was first configured: orders placed before are not announced (unless announceExisting) */
  startedAt: Map<Channel, Date>;
  enqueueAnnouncement: EnqueueAnnouncement;
  announcer: Announcer;
}

/**
 * Everything the print room's announcements need, at start: the start point of each configured channel
 * (recorded by the first start that has it), the hook for the print queue and the sending job.
 */
export async function openPrintRoom(
  db: Db,
  settings: PrintRoomSettings,
  logger: Logger,
  now: () => Date = () => new Date(),
): Promise<PrintRoom> {
  const channels = channelsOf(settings);
  const startedAt = await startPoints(db, channels, now());
  const enqueueAnnouncement: EnqueueAnnouncement = async (trx, order) => {
    const placed = Date.parse(order.createdOnUtc);
    // An unreadable date is announced rather than lost.
    const due = channels.filter((channel) => settings.announceExisting || !(placed < startedAt.get(channel)!.getTime()));
    await addToOutbox(trx, order, due, now());
  };
  const announcer = createAnnouncer({
    db,
    senders: sendersOf(settings),
    logger,
    publicBaseUrl: settings.publicBaseUrl,
    maxAttempts: settings.maxAttempts,
    now,
  });
  return { channels, startedAt, enqueueAnnouncement, announcer };
}

function sendersOf(settings: PrintRoomSettings): Sender[] {
  return [
    ...(settings.email ? [emailSender(settings.email, new URL(settings.publicBaseUrl).hostname)] : []),
    ...(settings.webhook ? [webhookSender(settings.webhook)] : []),
  ];
}
