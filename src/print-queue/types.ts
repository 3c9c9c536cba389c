import type { Knex } from 'knex';

/** The print queue's words: the order as the print room is told of it, and the settings that choose "to print". */

/** An order that became "to print": what the print room is told (counts only: no player's name). */
export interface ToPrintOrder {
  orderId: number;
  customOrderNumber: string;
  createdOnUtc: string /* ISO */;
  kits: Array<{ kitId: string; name: string; sizes: Array<{ size: string; garments: number }> }>;
  garments: number;
}

/**
 * Called once per order, the first time the job sees it "to print", inside the transaction of kitbridge's own
 * database that records it: whatever it writes there (an announcement) commits with the order's new state.
 */
export type OnToPrint = (trx: Knex.Transaction, order: ToPrintOrder) => Promise<void>;

/** PRINT_QUEUE_FROM: orders are to print once paid, or once nopCommerce processes them (shops that print before payment). */
export const QUEUE_FROM = ['paid', 'processing'] as const;
export type QueueFrom = (typeof QUEUE_FROM)[number];

/**
 * Where an order stands for the print room. "to print → printing → printed" is kitbridge's production state;
 * before it an order is "waiting" (not paid, or not processing), and it never enters it when the shop
 * cancelled, voided, refunded or deleted it ("cancelled") or shipped it without kitbridge ("shipped").
 */
export const QUEUE_STATES = ['to print', 'printing', 'printed', 'waiting', 'cancelled', 'shipped'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];
