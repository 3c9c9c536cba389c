import { html, type Html } from '../shared/html';

/**
 * Text as the shop's database holds it, and how nopCommerce shows it. Two rules, one per kind of column:
 *
 * - HTML columns (Product.ShortDescription, FullDescription): nopCommerce renders them raw (@Html.Raw), so every
 *   value kitbridge puts into them goes through `shopHtml`, the html template that escapes each value.
 * - Plain-text columns that nopCommerce encodes itself (ProductAttribute.Name, ProductAttributeValue.Name: the
 *   attribute formatter HTML-encodes "Name: Value" when it writes the cart line and OrderItem.AttributeDescription,
 *   docs/nopcommerce research §2): stored as the text itself via `plainText`, never escaped, or the order would
 *   show "&amp;amp;". Product.Name and Sku are plain text too (Razor encodes them).
 *
 * And for every string column, `bmpScrubber` below: what a utf8mb3 column cannot hold.
 */
export const shopHtml: (strings: TemplateStringsArray, ...values: unknown[]) => Html = html;

/** The first `length` UTF-16 units of `text`, one fewer if the last would be half of a surrogate pair. */
export function cutUnits(text: string, length: number): string {
  const cut = text.slice(0, length);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** Plain text cut to a column's length (in UTF-16 units, never splitting a character), marked with … when cut. */
export function plainText(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  return `${cutUnits(text, maxLength - 1)}…`;
}

/**
 * nopCommerce's MySQL tables are utf8mb3 (ORDERS-AND-ENGINES.md): they refuse any character outside the Basic
 * Multilingual Plane (an emoji in a player's name) with error 1366, which every retry would repeat. Such
 * characters are written as U+FFFD instead, and the delivery gets a warning; kitbridge's own kit keeps them.
 */
const OUTSIDE_BMP = /[\u{10000}-\u{10FFFF}]/gu;
const REPLACEMENT = '\uFFFD';

/** Character sets that store the Basic Multilingual Plane only. */
const BMP_ONLY_CHARSETS = new Set(['utf8', 'utf8mb3', 'ucs2']);
export const isBmpOnly = (charset: string | null) => charset !== null && BMP_ONLY_CHARSETS.has(charset.toLowerCase());

const bmpWarning = (replaced: number) =>
  `The shop's database stores text as utf8mb3 (nopCommerce's MySQL tables), which cannot hold characters such as emoji: ` +
  `${replaced} such character(s) were written to nopCommerce as ${REPLACEMENT}. The kit page shows them as sent.`;

/** The text rules of one shop for one delivery: rows made storable in its columns, and what had to change. */
export interface ShopText {
  row<T extends Record<string, unknown>>(row: T): T;
  warnings(): string[];
}

/** For one delivery: makes rows storable in this shop's columns, and says afterwards what had to change. */
export function bmpScrubber(bmpOnly: boolean): ShopText {
  let replaced = 0;
  const storable = (value: unknown) => {
    if (typeof value !== 'string') return value;
    return value.replace(OUTSIDE_BMP, () => {
      replaced += 1;
      return REPLACEMENT;
    });
  };
  return {
    row<T extends Record<string, unknown>>(row: T): T {
      if (!bmpOnly) return row;
      return Object.fromEntries(Object.entries(row).map(([column, value]) => [column, storable(value)])) as T;
    },
    warnings: (): string[] => (replaced > 0 ? [bmpWarning(replaced)] : []),
  };
}
