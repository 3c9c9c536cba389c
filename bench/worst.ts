import { randomUUID } from 'node:crypto';
import {
  MAX_KIT_QUANTITY,
  MAX_KIT_TOTAL,
  MAX_NUMBER,
  MAX_PRICE,
  MAX_SIZES,
  MAX_TEAMS,
  MAX_TEXT,
  MAX_UNITS,
  MAX_UNITS_PER_TEAM,
  MAX_WEIGHT,
} from '../src/kits/bounds';

/**
 * The most expensive deliveries within every bound (src/kits/bounds.ts), for `npm run bench -- --worst` and for
 * the test that they are accepted: the most teams, units and sizes, every text at its longest in the widest
 * characters (3 UTF-8 bytes per UTF-16 unit) and incompressible, so nothing is cheaper than it could be.
 */

export interface WorstOptions {
  /** every unit wears a size no line has: a warning each, stored with the kit and returned in the answer */
  unlinked?: boolean;
  /** Html at its longest too */
  longHtml?: boolean;
}

/** Deterministic CJK text of `length` characters (U+4E00-U+9FFF): 3 bytes each in UTF-8, and no repetition to compress. */
function wideText(length: number, seed: number): string {
  let state = seed * 2654435761 + 1;
  let text = '';
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    text += String.fromCharCode(0x4e00 + (state % 0x5200));
  }
  return text;
}

/** `length` characters, starting with `tag` so that texts which must differ do. */
const tagged = (tag: string, length: number, seed: number) => tag + wideText(length - tag.length, seed);

export function worstDelivery({ unlinked = false, longHtml = false }: WorstOptions = {}) {
  let seed = 0;
  const text = (length: number, tag = '') => tagged(tag, length, ++seed);
  const sizes = Array.from({ length: MAX_SIZES }, (_, i) => ({
    CartPrice: MAX_PRICE,
    Name: text(MAX_TEXT.size, `${i} `),
    Quantity: Math.floor(MAX_KIT_QUANTITY / MAX_SIZES),
    Sku: text(MAX_TEXT.sku),
    TaxExempt: i % 2 === 0,
  }));
  // As many units as a kit may hold, spread over as many teams as it may have; sizes as many as lines may be.
  const unitsPerTeam = Math.min(MAX_UNITS_PER_TEAM, Math.ceil(MAX_UNITS / MAX_TEAMS));
  const unitSizes = unlinked ? sizes.map((_, i) => text(MAX_TEXT.size, `unlisted ${i} `)) : sizes.map((size) => size.Name);
  let units = 0;
  const teams = Array.from({ length: MAX_TEAMS }, (_, t) => ({
    Name: text(MAX_TEXT.teamName, `${t} `),
    Units: Array.from({ length: Math.max(0, Math.min(unitsPerTeam, MAX_UNITS - units)) }, () => {
      units += 1;
      return {
        CartPrice: MAX_PRICE,
        Name: text(MAX_TEXT.unitName),
        Number: units % 2 ? text(MAX_TEXT.number) : MAX_NUMBER,
        Size: unitSizes[units % unitSizes.length]!,
        Sku: text(MAX_TEXT.sku),
        TaxExempt: false,
      };
    }),
  }));
  return {
    PublicWebhookId: randomUUID(),
    SingleItemCheckout: {
      CategoryName: text(MAX_TEXT.label),
      DesignName: text(MAX_TEXT.label),
      Html: longHtml ? `<p>${text(MAX_TEXT.html - 7)}</p>` : '<p>Home shirt</p>',
      MainImage: null,
      Name: text(MAX_TEXT.kitName),
      Price: MAX_KIT_TOTAL,
      ProductName: text(MAX_TEXT.label),
      Quantity: MAX_KIT_QUANTITY,
      TotalWeight: MAX_WEIGHT,
      UnitPrice: MAX_PRICE,
      UnitWeight: MAX_WEIGHT,
      TeamDetails: { EnterTeams: true, Files: null, Sizes: sizes, Teams: teams },
    },
  };
}
