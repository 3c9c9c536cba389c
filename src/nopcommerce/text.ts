/**
 * Text as the shop's database can hold it. nopCommerce's MySQL tables are utf8mb3 (ORDERS-AND-ENGINES.md):
 * they refuse any character outside the Basic Multilingual Plane (an emoji in a player's name) with error
 * 1366, which every retry would repeat. Such characters are written as U+FFFD instead, and the delivery gets a
 * warning; kitbridge's own kit keeps them as sent.
 */
const OUTSIDE_BMP = /[\u{10000}-\u{10FFFF}]/gu;
export const REPLACEMENT = '\uFFFD';

/** Character sets that store the Basic Multilingual Plane only. */
const BMP_ONLY_CHARSETS = new Set(['utf8', 'utf8mb3', 'ucs2']);
export const isBmpOnly = (charset: string | null) => charset !== null && BMP_ONLY_CHARSETS.has(charset.toLowerCase());

/** Replaces what a BMP-only column cannot store, counting the replacements. */
export function toBmp(text: string): { text: string; replaced: number } {
  let replaced = 0;
  return {
    text: text.replace(OUTSIDE_BMP, () => {
      replaced += 1;
      return REPLACEMENT;
    }),
    replaced,
  };
}

export const bmpWarning = (replaced: number) =>
  `The shop's database stores text as utf8mb3 (nopCommerce's MySQL tables), which cannot hold characters such as emoji: ` +
  `${replaced} such character(s) were written to nopCommerce as ${REPLACEMENT}. The kit page shows them as sent.`;

/** For one delivery: makes rows storable in this shop's columns, and says afterwards what had to change. */
export function storableText(bmpOnly: boolean) {
  let replaced = 0;
  return {
    row<T extends Record<string, unknown>>(row: T): T {
      if (!bmpOnly) return row;
      return Object.fromEntries(
        Object.entries(row).map(([column, value]) => {
          if (typeof value !== 'string') return [column, value];
          const stored = toBmp(value);
          replaced += stored.replaced;
          return [column, stored.text];
        }),
      ) as T;
    },
    warnings: (): string[] => (replaced > 0 ? [bmpWarning(replaced)] : []),
  };
}
