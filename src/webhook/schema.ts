import { z } from 'zod';
import { storableText } from '../db/text';
import { hasDirectionControl } from '../shared/bidi';
import {
  MAX_FILES,
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
} from '../kits/bounds';

/**
 * Kit Builder's SingleItemCheckout webhook body (docs/kitbuilder/webhook-documentation.txt).
 * Objects are loose: unknown fields (BasketRawValues and whatever Kit Builder adds later) pass and are ignored.
 * Its limits are the kit's bounds (src/kits/bounds.ts), which every stored column is checked against.
 */

/**
 * Text the print sheets and the shop show as it is: a name, a number, a size. A direction control in it would
 * print "\u202E19" as 91 (shared/bidi.ts), so it is refused, like NUL, naming the field.
 */
const printedText = (max: number) =>
  storableText(max).refine(
    (s) => !hasDirectionControl(s),
    'must not contain direction control characters (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C): they reorder what is printed',
  );

/** Kit Builder writes nulls for empty optional strings; both read as "". Printed text unless told. */
const optionalText = (max: number, text = printedText) =>
  text(max)
    .nullish()
    .transform((s) => s ?? '');

const price = z.number().min(0).max(MAX_PRICE);
const weight = z.number().min(0).max(MAX_WEIGHT);
const count = z.number().int().min(0).max(MAX_KIT_QUANTITY);

const unitSchema = z.looseObject({
  CartPrice: price.nullish().transform((v) => v ?? null),
  Name: optionalText(MAX_TEXT.unitName),
  // The documentation shows a string ("1"); a number is read as its decimal text.
  Number: z
    .union([printedText(MAX_TEXT.number), z.number().int().min(-MAX_NUMBER).max(MAX_NUMBER)])
    .nullish()
    .transform((v) => (v === null || v === undefined ? '' : String(v))),
  Size: optionalText(MAX_TEXT.size),
  Sku: optionalText(MAX_TEXT.sku),
  TaxExempt: z.boolean().nullish().transform((v) => v ?? false),
});

const sizeSchema = z.looseObject({
  CartPrice: price.nullish().transform((v) => v ?? null),
  Name: printedText(MAX_TEXT.size),
  Quantity: count,
  Sku: optionalText(MAX_TEXT.sku),
  TaxExempt: z.boolean().nullish().transform((v) => v ?? false),
});

const teamSchema = z.looseObject({
  Name: optionalText(MAX_TEXT.teamName),
  Units: z.array(unitSchema).max(MAX_UNITS_PER_TEAM).nullish().transform((v) => v ?? []),
});

const teamDetailsSchema = z
  .looseObject({
    EnterTeams: z.boolean().nullish().transform((v) => v ?? false),
    Files: z.array(z.unknown()).max(MAX_FILES).nullish().transform((v) => v ?? null),
    Sizes: z.array(sizeSchema).max(MAX_SIZES).nullish().transform((v) => v ?? []),
    Teams: z.array(teamSchema).max(MAX_TEAMS).nullish().transform((v) => v ?? []),
  })
  // Bounds of the kit as a whole, which no single entry shows: each is the bound of a stored total or count.
  .superRefine(({ Sizes, Teams }, ctx) => {
    const garments = Sizes.reduce((sum, size) => sum + size.Quantity, 0);
    if (garments > MAX_KIT_QUANTITY) {
      ctx.addIssue({ code: 'custom', path: ['Sizes'], message: `must add up to at most ${MAX_KIT_QUANTITY} garments (they add up to ${garments})` });
    }
    const units = Teams.flatMap((team) => team.Units);
    if (units.length > MAX_UNITS) {
      ctx.addIssue({ code: 'custom', path: ['Teams'], message: `must list at most ${MAX_UNITS} units in all (they list ${units.length})` });
    }
    // Without sizes, the roster's sizes are the lines (and, with nopCommerce, its products).
    const unitSizes = new Set(units.map((unit) => unit.Size)).size;
    if (unitSizes > MAX_SIZES) {
      ctx.addIssue({ code: 'custom', path: ['Teams'], message: `must use at most ${MAX_SIZES} different sizes (they use ${unitSizes})` });
    }
  });

export const singleItemCheckoutSchema = z.looseObject({
  CategoryName: optionalText(MAX_TEXT.label),
  DesignName: optionalText(MAX_TEXT.label),
  // Sanitized markup, never printed on a sheet: right-to-left descriptions may use direction marks.
  Html: optionalText(MAX_TEXT.html, storableText),
  // Checked for size and content by the image module; the body limit bounds it first.
  MainImage: z
    .string()
    .nullish()
    .transform((v) => (v ? v : null)),
  Name: printedText(MAX_TEXT.kitName).min(1),
  // The kit's total, which may be many garments at the highest price.
  Price: z.number().min(0).max(MAX_KIT_TOTAL),
  ProductName: optionalText(MAX_TEXT.label),
  Quantity: count.min(1),
  TotalWeight: weight.nullish().transform((v) => v ?? null),
  UnitPrice: price,
  UnitWeight: weight.nullish().transform((v) => v ?? null),
  TeamDetails: teamDetailsSchema.nullish().transform(
    (v) => v ?? { EnterTeams: false, Files: null, Sizes: [], Teams: [] },
  ),
});

export const deliverySchema = z.looseObject({
  PublicWebhookId: storableText(MAX_TEXT.publicWebhookId).min(1),
  SingleItemCheckout: singleItemCheckoutSchema,
});

export type Delivery = z.infer<typeof deliverySchema>;
export type SingleItemCheckout = Delivery['SingleItemCheckout'];
export type SizeInput = SingleItemCheckout['TeamDetails']['Sizes'][number];
export type TeamInput = SingleItemCheckout['TeamDetails']['Teams'][number];
export type UnitInput = TeamInput['Units'][number];
