import { z } from 'zod';

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
  // Present when the nopCommerce catalog adapter is on: the product that sells this line in the shop.
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

export const kitPath = (kitId: string) => `/products/${encodeURIComponent(kitId)}`;
export const imagePath = (imageName: string) => `/images/${encodeURIComponent(imageName)}`;
/** nopCommerce's AJAX add-to-cart route for the shopping cart (type 1), ../shared/nopcommerce/ADD-TO-CART.md */
export const addToCartPath = (nopProductId: number, quantity: number) =>
  `/addproducttocart/catalog/${nopProductId}/1/${quantity}`;
