import { idOf, jsonOf } from '../db/database';
import { formatMinor } from '../shared/money';
import type { LineDraft, NewKit, ShopProduct, UnitDraft } from './draft';

/**
 * A kit as it comes back from the database. Its lines keep the draft's shape, with money as the decimal text
 * PostgreSQL gives back, their ids, and the shop product that sells each (derived from LineDraft, not copied).
 */
export type StoredLine = Omit<LineDraft, 'unitPrice'> & { id: string; unitPrice: string; nop: ShopProduct | null };

/** What the product-link JSON needs of a stored kit, read in one query. */
export interface KitSummary {
  id: string;
  name: string;
  quantity: number;
  total: string;
  imageName: string | null;
  warnings: string[];
  lines: StoredLine[];
}

/** What the kit's page shows beside its lines and teams. */
export interface KitRow extends Omit<KitSummary, 'lines'> {
  productName: string;
  categoryName: string;
  designName: string;
  html: string;
  declaredPrice: string;
  createdAt: Date;
}

export interface TeamRow {
  name: string;
  units: Array<Pick<UnitDraft, 'name' | 'number' | 'size' | 'sku'> & { lineId: string | null }>;
}

/**
 * A line read either as a row or as JSON built by the database (column names as StoredLine's fields, plus
 * nopProductId and slug); pg and PGlite differ in the types of ids and numbers, which are made the same here.
 */
export function toStoredLine(row: Record<string, any>): StoredLine {
  return {
    id: idOf(row.id),
    position: Number(row.position),
    size: row.size,
    sku: row.sku,
    quantity: Number(row.quantity),
    unitPrice: String(row.unitPrice),
    taxExempt: Boolean(row.taxExempt),
    nop: row.nopProductId === null || row.nopProductId === undefined ? null : { productId: Number(row.nopProductId), slug: row.slug },
  };
}

export function toSummary(row: Record<string, any>): KitSummary {
  return {
    id: idOf(row.id),
    name: row.name,
    quantity: Number(row.quantity),
    total: String(row.total),
    imageName: row.image_name,
    warnings: jsonOf(row.warnings),
    lines: (jsonOf(row.lines) as Array<Record<string, unknown>>).map(toStoredLine),
  };
}

/** The kit as the database would give it back, from what was just written: no second read. */
export function summaryOf(
  kit: NewKit,
  written: { lineIds: string[]; products: ReadonlyMap<number, ShopProduct>; warnings: string[] },
): KitSummary {
  const { draft } = kit;
  return {
    id: kit.id,
    name: draft.name,
    quantity: draft.quantity,
    total: formatMinor(draft.total),
    imageName: kit.image?.name ?? null,
    warnings: [...draft.warnings, ...written.warnings],
    // Field by field, not spread: this runs for every new kit (spreading cost measurably more).
    lines: draft.lines.map((line, i) => ({
      id: written.lineIds[i]!,
      position: line.position,
      size: line.size,
      sku: line.sku,
      quantity: line.quantity,
      unitPrice: formatMinor(line.unitPrice),
      taxExempt: line.taxExempt,
      nop: written.products.get(line.position) ?? null,
    })),
  };
}
