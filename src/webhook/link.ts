import { z } from 'zod';
import { imagePath, kitPath } from '../kits/links';
import type { KitSummary } from '../kits/stored';
import { addToCartPath, productPath } from '../nopcommerce/shop-urls';

/**
 * The product-link JSON: the webhook's answer, which Kit Builder hands to the shop's JavaScript callbacks
 * as `data.content`. Published contract: fields may be added, never renamed or retyped.
 * Money is a decimal string with exactly two decimals ("119.50"); ids are strings.
 */
const decimal = z.string().regex(/^\d+\.\d{2}$/);

export const productLineSchema = z.object({
  id: z.string(),
  size: z.string(),
  sku: z.string(),
  quantity: z.number().int().positive(),
  unitPrice: decimal,
  taxExempt: z.boolean(),
  url: z.url(),
  // Present when the nopCommerce adapter is on: the product that sells this line in the shop.
  // URLs start with SHOP_BASE_URL, or are root-relative ("/...") on the shop's own origin when it is unset.
  nopProductId: z.number().int().positive().optional(),
  productUrl: z.string().optional(),
  addToCartUrl: z.string().optional(),
});

export const productLinkSchema = z.object({
  id: z.string(),
  url: z.url(),
  imageUrl: z.url().nullable(),
  name: z.string(),
  quantity: z.number().int(),
  total: decimal,
  currency: z.string().optional(),
  lines: z.array(productLineSchema),
  warnings: z.array(z.string()),
});

export type ProductLine = z.infer<typeof productLineSchema>;
export type ProductLink = z.infer<typeof productLinkSchema>;

/** How links are made: the base of kitbridge's URLs, the shop's (with the nopCommerce adapter), the currency. */
export interface LinkBase {
  baseUrl: string;
  /** SHOP_BASE_URL, '' for root-relative shop URLs; undefined without the nopCommerce adapter */
  shopBaseUrl?: string;
  currency?: string;
}

/** The product-link JSON of a stored kit. */
export function toLink(kit: KitSummary, { baseUrl, shopBaseUrl, currency }: LinkBase): ProductLink {
  const url = baseUrl + kitPath(kit.id);
  return {
    id: kit.id,
    url,
    imageUrl: kit.imageName ? baseUrl + imagePath(kit.imageName) : null,
    name: kit.name,
    quantity: kit.quantity,
    total: kit.total,
    ...(currency ? { currency } : {}),
    lines: kit.lines.map((line) => ({
      id: line.id,
      size: line.size,
      sku: line.sku,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      taxExempt: line.taxExempt,
      url: `${url}#line-${line.id}`,
      ...(line.nop && shopBaseUrl !== undefined
        ? {
            nopProductId: line.nop.productId,
            productUrl: shopBaseUrl + productPath(line.nop.slug),
            addToCartUrl: shopBaseUrl + addToCartPath(line.nop.productId, line.quantity),
          }
        : {}),
    })),
    warnings: kit.warnings,
  };
}
