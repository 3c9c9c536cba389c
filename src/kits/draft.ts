import type { Minor } from '../shared/money';

/**
 * The kit as kitbridge builds it from a delivery, before it is stored: the domain's one shape of a kit, its
 * lines (one size row of the cart each) and its teams' units (one garment each).
 */

export interface LineDraft {
  position: number;
  size: string;
  quantity: number;
  sku: string;
  unitPrice: Minor;
  taxExempt: boolean;
}

export interface UnitDraft {
  position: number;
  name: string;
  number: string;
  size: string;
  sku: string;
  cartPrice: Minor | null;
  taxExempt: boolean;
  /** position of the line this unit belongs to; null when no line has its size */
  linePosition: number | null;
}

export interface TeamDraft {
  position: number;
  name: string;
  units: UnitDraft[];
}

export interface KitDraft {
  publicWebhookId: string;
  name: string;
  productName: string;
  categoryName: string;
  designName: string;
  html: string;
  /** Quantity, UnitPrice and Price as Kit Builder sent them (rounded to the currency) */
  declaredQuantity: number;
  declaredUnitPrice: Minor;
  declaredPrice: Minor;
  /** what the cart will hold: the sum of the lines */
  quantity: number;
  total: Minor;
  unitWeight: number | null;
  totalWeight: number | null;
  enterTeams: boolean;
  lines: LineDraft[];
  teams: TeamDraft[];
  warnings: string[];
}


/** The nopCommerce product that sells a line in the shop, when the nopCommerce adapter is on. */
export interface ShopProduct {
  productId: number;
  slug: string;
}

/** A kit ready to be stored: its draft, its random public id, the delivery it came from, its image file. */
export interface NewKit {
  id: string;
  deliveryHash: string;
  draft: KitDraft;
  image: { name: string; bytes: number } | null;
}
