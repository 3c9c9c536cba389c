import type { LineDraft } from '../kits/draft';
import type { Minor } from '../shared/money';
import type { SingleItemCheckout, SizeInput, UnitInput } from './schema';

/** Rounds a price to the currency, noting a warning when that changed it; `what` names the price. */
export type Money = (value: number, what: string) => Minor;

/**
 * The lines of a kit, by the documented rule in order of preference: one per size; else one per size found in
 * the roster; else one line of Quantity. Sizes that all have quantity 0 describe no garment: then the roster,
 * or Quantity, is all there is to sell.
 */
export function linesOf(checkout: SingleItemCheckout, unitPrice: Minor, money: Money, warnings: string[]): LineDraft[] {
  const { Sizes: sizes, Teams: teams } = checkout.TeamDetails;
  const sizeLines = linesFromSizes(sizes, unitPrice, money, warnings);
  if (sizeLines.length > 0) return sizeLines;
  const units = teams.flatMap((team) => team.Units);
  if (units.length > 0) {
    warnings.push(`${sizes.length ? 'Every size has quantity 0' : 'Sizes is empty'}; lines were derived from the team roster by size.`);
    return linesFromUnits(units, unitPrice, money, warnings);
  }
  if (sizes.length > 0) warnings.push('Every size has quantity 0; the kit is one line of Quantity.');
  return [{ position: 0, size: '', quantity: checkout.Quantity, sku: '', unitPrice, taxExempt: false }];
}

function linesFromSizes(sizes: SizeInput[], unitPrice: Minor, money: Money, warnings: string[]): LineDraft[] {
  const lines: LineDraft[] = [];
  const seen = new Set<string>();
  for (const size of sizes) {
    if (seen.has(size.Name)) warnings.push(`Size "${size.Name}" is listed more than once; units link to the first.`);
    seen.add(size.Name);
    if (size.Quantity === 0) {
      warnings.push(`Size "${size.Name}" has quantity 0; no line was made for it.`);
      continue;
    }
    lines.push({
      position: lines.length,
      size: size.Name,
      quantity: size.Quantity,
      sku: size.Sku,
      unitPrice: size.CartPrice === null ? unitPrice : money(size.CartPrice, `CartPrice of size "${size.Name}"`),
      taxExempt: size.TaxExempt,
    });
  }
  return lines;
}

/** No sizes with garments: one line per size the roster uses, in order of first appearance, priced by its first unit. */
function linesFromUnits(units: UnitInput[], unitPrice: Minor, money: Money, warnings: string[]): LineDraft[] {
  const groups = new Map<string, UnitInput[]>();
  for (const unit of units) {
    const group = groups.get(unit.Size);
    if (group) group.push(unit);
    else groups.set(unit.Size, [unit]);
  }
  return [...groups.entries()].map(([size, members], position) => {
    const first = members[0]!;
    const differs = members.some(
      (u) => u.CartPrice !== first.CartPrice || u.TaxExempt !== first.TaxExempt || u.Sku !== first.Sku,
    );
    if (differs) {
      warnings.push(`Units of size "${size}" differ in price, tax exemption or SKU; the line uses the first unit's.`);
    }
    return {
      position,
      size,
      quantity: members.length,
      sku: first.Sku,
      unitPrice: first.CartPrice === null ? unitPrice : money(first.CartPrice, `CartPrice of size "${size}"`),
      taxExempt: first.TaxExempt,
    };
  });
}
