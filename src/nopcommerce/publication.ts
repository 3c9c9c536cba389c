import type { KitDraft, ShopProduct } from '../kits/draft';
import type { NopSchema } from './schema';
import type { ShopSettings } from './settings';
import type { ShopText } from './text';

/** A delivery's kit as it enters the shop. */
export interface PublishInput {
  draft: KitDraft;
  /** kitbridge's public id of the kit, and its page: the roster names them so staff can open the kit */
  kitId: string;
  kitUrl: string;
  deliveryHash: string;
  image: Buffer | null;
}

/** The product that sells the line at `position`. */
export type PublishedLine = { position: number } & ShopProduct;

export interface Published {
  lines: PublishedLine[];
  warnings: string[];
}

/**
 * One delivery on its way into the shop: what every step of publishing it needs, worked out once as it enters,
 * before anything is written; and what the steps wrote that a failure must take back.
 */
export interface Publication extends PublishInput {
  nop: NopSchema;
  /** the shop's settings as they are now: a change in the admin applies to the next kit */
  shop: ShopSettings;
  /** what this shop's text columns can hold, and what had to change to fit them */
  text: ShopText;
  /** the kit's unit weight in the shop's base weight unit */
  weight: string;
  rosterAttributeId: number;
  /** the picture goes to nopCommerce: the shop keeps pictures in its database, or on disk where kitbridge can write */
  writesPicture: boolean;
  /** picture files written to the shop's disk, removed again if the delivery fails */
  files: string[];
}
