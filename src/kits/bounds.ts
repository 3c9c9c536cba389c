/**
 * How much one kit may hold and how large its numbers may be, in one place. The webhook's schema refuses a
 * delivery beyond any of these (400 naming the field); kitbridge's columns, and the nopCommerce columns the
 * nopCommerce adapter writes, are checked against STORED_NUMBERS by test/kits/bounds.db.test.ts, so every value the
 * schema accepts, and every total derived from such values, fits where it is stored.
 *
 * The roster bounds are set from what real orders look like, with a wide margin (README, "Limits"): a club
 * ordering for all its teams at once has dozens of teams of a few dozen players. They also bound the work one
 * delivery can cause (rows, nopCommerce products), which `npm run bench -- --worst` measures.
 */

/** Teams in one kit: the largest amateur clubs field 50-80 teams across ages and genders. */
export const MAX_TEAMS = 100;
/** Units (named garments) in one team: a squad is 15-30 players; a "team" may be a whole age group or the staff. */
export const MAX_UNITS_PER_TEAM = 200;
/** Units in one kit, all teams together: a large club's whole order (60 teams x 25 players = 1,500). */
export const MAX_UNITS = 2_000;
/**
 * Sizes in one kit, and so its lines (and the nopCommerce products it makes, one per line): children's sizes in
 * cm, adult XS-5XL and cuts for women come to about 30.
 */
export const MAX_SIZES = 50;
/** Garments in one kit: Quantity, one size's Quantity, and all sizes' quantities together. */
export const MAX_KIT_QUANTITY = 10_000;
/** Entries of TeamDetails.Files: read past (never stored), but bounded like every list. */
export const MAX_FILES = 1_000;

/**
 * A price of one garment, in the major unit of the shop's currency: high enough for any currency in use
 * (a 100 USD shirt is about 10^8 Iranian rials).
 */
export const MAX_PRICE = 1_000_000_000;
/** UnitWeight and TotalWeight, in the shop's weight unit. */
export const MAX_WEIGHT = 1_000_000;
/** Weights are kept to 4 decimals, as nopCommerce keeps them (decimal(18,4)); more are rounded when stored. */
export const WEIGHT_DECIMALS = 4;
/** A unit's Number sent as a JSON number rather than text. */
export const MAX_NUMBER = 1_000_000;

/** Text lengths, in UTF-16 code units (JavaScript's length: an emoji counts 2). */
export const MAX_TEXT = {
  publicWebhookId: 100,
  kitName: 1_000,
  /** CategoryName, ProductName, DesignName */
  label: 400,
  /**
   * Kit Builder's Html is "basic HTML with images and form values": a few KiB of markup, plus an image when one
   * is embedded as a data: URL. 1 MiB holds a ~750 KB image (a flat 1000 x 1000 kit render measured 110 KB as
   * PNG) and, with the largest MainImage (MAX_IMAGE_BYTES in base64), still fits the default MAX_BODY_BYTES. It
   * also bounds what sanitizing one delivery can cost (webhook/html.ts, bench/RESULTS.md).
   */
  html: 1024 * 1024,
  teamName: 200,
  /** a name to print on a garment: the longest real full names are about 50 characters */
  unitName: 100,
  number: 20,
  size: 100,
  /** real SKUs are at most a few dozen characters (nopCommerce's column allows 400) */
  sku: 100,
} as const;

/** Garments a kit's lines can hold: its sizes (MAX_KIT_QUANTITY in all), else its roster (one per unit), else Quantity. */
const MAX_LINES_QUANTITY = Math.max(MAX_KIT_QUANTITY, MAX_UNITS);
/** What a kit can cost, and the most its declared Price may be: every garment at the highest price. */
export const MAX_KIT_TOTAL = MAX_LINES_QUANTITY * MAX_PRICE;

/** A stored number: the largest value it must hold, and the decimals it must keep. */
export interface StoredNumber {
  max: number;
  decimals: number;
}

const money = (max: number): StoredNumber => ({ max, decimals: 2 });
const count = (max: number): StoredNumber => ({ max, decimals: 0 });
const weight: StoredNumber = { max: MAX_WEIGHT, decimals: WEIGHT_DECIMALS };

/** Every number kitbridge stores from a delivery, by "table.column". */
export const STORED_NUMBERS: Record<string, StoredNumber> = {
  'kits.declared_quantity': count(MAX_KIT_QUANTITY),
  'kits.declared_unit_price': money(MAX_PRICE),
  'kits.declared_price': money(MAX_KIT_TOTAL),
  'kits.quantity': count(MAX_LINES_QUANTITY),
  'kits.total': money(MAX_KIT_TOTAL),
  'kits.unit_weight': weight,
  'kits.total_weight': weight,
  'kit_lines.position': count(MAX_SIZES),
  'kit_lines.quantity': count(MAX_LINES_QUANTITY),
  'kit_lines.unit_price': money(MAX_PRICE),
  'kit_teams.position': count(MAX_TEAMS),
  'kit_units.position': count(MAX_UNITS_PER_TEAM),
  'kit_units.cart_price': money(MAX_PRICE),
};

/** Every number the nopCommerce adapter writes from a kit, by "table.column" (one product per line). */
export const NOP_STORED_NUMBERS: Record<string, StoredNumber> = {
  'Product.Price': money(MAX_PRICE),
  'Product.Weight': weight,
  'Product.OrderMaximumQuantity': count(MAX_LINES_QUANTITY),
};
