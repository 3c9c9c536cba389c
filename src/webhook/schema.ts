import { z } from 'zod';

/**
 * Kit Builder's SingleItemCheckout webhook body (docs/kitbuilder/webhook-documentation.txt).
 * Objects are loose: unknown fields (BasketRawValues and whatever Kit Builder adds later) pass and are ignored.
 * Limits keep one delivery from filling the database; they are far above anything a real kit needs.
 */

/** Text PostgreSQL can store unchanged: no NUL and no lone UTF-16 surrogates. */
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters')
    .refine((s) => s.isWellFormed(), 'must be well-formed Unicode');

/** Kit Builder writes nulls for empty optional strings; both read as "". */
const optionalText = (max: number) =>
  text(max)
    .nullish()
    .transform((s) => s ?? '');

/**
 * Kit Builder's Html is "basic HTML with images and form values": a few KiB of markup, plus an image when one
 * is embedded as a data: URL. 1 MiB holds a ~750 KB image (a flat 1000 x 1000 kit render measured 110 KB as
 * PNG) and, with the largest MainImage (MAX_IMAGE_BYTES in base64), still fits the default MAX_BODY_BYTES. It
 * also bounds what sanitizing one delivery can cost (html.ts, bench/RESULTS.md).
 */
export const MAX_HTML_CHARS = 1024 * 1024;

const MAX_PRICE = 1_000_000_000;
const price = z.number().min(0).max(MAX_PRICE);
const weight = z.number().min(0).max(1_000_000);
const count = z.number().int().min(0).max(100_000);

const unitSchema = z.looseObject({
  CartPrice: price.nullish().transform((v) => v ?? null),
  Name: optionalText(200),
  // The documentation shows a string ("1"); a number is read as its decimal text.
  Number: z
    .union([text(20), z.number().int().min(-1_000_000).max(1_000_000)])
    .nullish()
    .transform((v) => (v === null || v === undefined ? '' : String(v))),
  Size: optionalText(100),
  Sku: optionalText(400),
  TaxExempt: z.boolean().nullish().transform((v) => v ?? false),
});

const sizeSchema = z.looseObject({
  CartPrice: price.nullish().transform((v) => v ?? null),
  Name: text(100),
  Quantity: count,
  Sku: optionalText(400),
  TaxExempt: z.boolean().nullish().transform((v) => v ?? false),
});

const teamSchema = z.looseObject({
  Name: optionalText(200),
  Units: z.array(unitSchema).max(10_000).nullish().transform((v) => v ?? []),
});

const teamDetailsSchema = z.looseObject({
  EnterTeams: z.boolean().nullish().transform((v) => v ?? false),
  Files: z.array(z.unknown()).max(1_000).nullish().transform((v) => v ?? null),
  Sizes: z.array(sizeSchema).max(1_000).nullish().transform((v) => v ?? []),
  Teams: z.array(teamSchema).max(1_000).nullish().transform((v) => v ?? []),
});

export const singleItemCheckoutSchema = z.looseObject({
  CategoryName: optionalText(400),
  DesignName: optionalText(400),
  Html: optionalText(MAX_HTML_CHARS),
  // Checked for size and content by the image module; the body limit bounds it first.
  MainImage: z
    .string()
    .nullish()
    .transform((v) => (v ? v : null)),
  Name: text(1_000).min(1),
  Price: price,
  ProductName: optionalText(400),
  Quantity: count.min(1),
  TotalWeight: weight.nullish().transform((v) => v ?? null),
  UnitPrice: price,
  UnitWeight: weight.nullish().transform((v) => v ?? null),
  TeamDetails: teamDetailsSchema.nullish().transform(
    (v) => v ?? { EnterTeams: false, Files: null, Sizes: [], Teams: [] },
  ),
});

export const deliverySchema = z.looseObject({
  PublicWebhookId: text(100).min(1),
  SingleItemCheckout: singleItemCheckoutSchema,
});

export type Delivery = z.infer<typeof deliverySchema>;
export type SingleItemCheckout = Delivery['SingleItemCheckout'];
export type SizeInput = SingleItemCheckout['TeamDetails']['Sizes'][number];
export type TeamInput = SingleItemCheckout['TeamDetails']['Teams'][number];
export type UnitInput = TeamInput['Units'][number];
