import { formatMinor, sumMinor, toMinor, type Minor } from '../shared/money';
import { sanitizeKitHtml } from './html';
import type { Delivery, SizeInput, UnitInput } from './schema';

/** A line is one size row of the cart; a unit is one garment of a team. */
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

/**
 * Turns a validated delivery into the product to store. Pure: every decision about lines, prices and
 * disagreements lives here. Lines follow the documented rule, in order of preference:
 * one per size; else one per size found in the roster; else one line of Quantity.
 */
export function buildKit(delivery: Delivery): KitDraft {
  const checkout = delivery.SingleItemCheckout;
  const warnings: string[] = [];
  const money = (value: number, what: string): Minor => {
    const rounded = toMinor(value);
    if (!rounded.exact) warnings.push(`${what} ${value} was rounded to ${formatMinor(rounded.minor)}.`);
    return rounded.minor;
  };

  const declaredUnitPrice = money(checkout.UnitPrice, 'UnitPrice');
  const declaredPrice = money(checkout.Price, 'Price');
  const { Sizes: sizes, Teams: teams } = checkout.TeamDetails;
  const allUnits = teams.flatMap((team) => team.Units);

  // Sizes that all have quantity 0 describe no garment: then the roster, or Quantity, is all there is to sell.
  const sizeLines = linesFromSizes(sizes, declaredUnitPrice, money, warnings);
  if (sizeLines.length === 0 && allUnits.length > 0) {
    warnings.push(`${sizes.length ? 'Every size has quantity 0' : 'Sizes is empty'}; lines were derived from the team roster by size.`);
  } else if (sizeLines.length === 0 && sizes.length > 0) {
    warnings.push('Every size has quantity 0; the kit is one line of Quantity.');
  }
  const lines = sizeLines.length
    ? sizeLines
    : allUnits.length
      ? linesFromUnits(allUnits, declaredUnitPrice, money, warnings)
      : [{ position: 0, size: '', quantity: checkout.Quantity, sku: '', unitPrice: declaredUnitPrice, taxExempt: false }];

  const lineBySize = new Map<string, LineDraft>();
  for (const line of lines) if (!lineBySize.has(line.size)) lineBySize.set(line.size, line);

  const teamDrafts: TeamDraft[] = teams.map((team, teamIndex) => ({
    position: teamIndex,
    name: team.Name,
    units: team.Units.map((unit, unitIndex) => {
      const line = lineBySize.get(unit.Size);
      if (!line) {
        warnings.push(
          `${describeUnit(unit, team.Name)} has size "${unit.Size}", which no line has; it is not linked to a line.`,
        );
      }
      return {
        position: unitIndex,
        name: unit.Name,
        number: unit.Number,
        size: unit.Size,
        sku: unit.Sku,
        cartPrice: unit.CartPrice === null ? null : money(unit.CartPrice, `CartPrice of ${describeUnit(unit, team.Name)}`),
        taxExempt: unit.TaxExempt,
        linePosition: line ? line.position : null,
      };
    }),
  }));

  const quantity = lines.reduce((sum, line) => sum + line.quantity, 0);
  const total = sumMinor(lines.map((line) => line.unitPrice * BigInt(line.quantity)));

  if (quantity !== checkout.Quantity) {
    warnings.push(
      `The lines add up to ${quantity} garments but Quantity is ${checkout.Quantity}; the cart follows the lines.`,
    );
  }
  if (total !== declaredPrice) {
    warnings.push(
      `The lines add up to ${formatMinor(total)} but Price is ${formatMinor(declaredPrice)}; the cart follows the lines.`,
    );
  }
  if (allUnits.length > 0) warnings.push(...rosterMismatches(lines, teamDrafts));

  return {
    publicWebhookId: delivery.PublicWebhookId,
    name: checkout.Name,
    productName: checkout.ProductName,
    categoryName: checkout.CategoryName,
    designName: checkout.DesignName,
    html: sanitizeKitHtml(checkout.Html),
    declaredQuantity: checkout.Quantity,
    declaredUnitPrice,
    declaredPrice,
    quantity,
    total,
    unitWeight: checkout.UnitWeight,
    totalWeight: checkout.TotalWeight,
    enterTeams: checkout.TeamDetails.EnterTeams,
    lines,
    teams: teamDrafts,
    warnings,
  };
}

type Money = (value: number, what: string) => Minor;

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

/** No Sizes: one line per size the roster uses, in order of first appearance, priced by its first unit. */
function linesFromUnits(units: UnitInput[], unitPrice: Minor, money: Money, warnings: string[]): LineDraft[] {
  const groups = new Map<string, UnitInput[]>();
  for (const unit of units) groups.set(unit.Size, [...(groups.get(unit.Size) ?? []), unit]);
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

function rosterMismatches(lines: LineDraft[], teams: TeamDraft[]): string[] {
  const unitsPerLine = new Map<number, number>();
  for (const unit of teams.flatMap((team) => team.units)) {
    if (unit.linePosition !== null) unitsPerLine.set(unit.linePosition, (unitsPerLine.get(unit.linePosition) ?? 0) + 1);
  }
  return lines
    .filter((line) => (unitsPerLine.get(line.position) ?? 0) !== line.quantity)
    .map(
      (line) =>
        `Size "${line.size}" has quantity ${line.quantity} but the roster lists ${unitsPerLine.get(line.position) ?? 0} units of it.`,
    );
}

function describeUnit(unit: UnitInput, teamName: string): string {
  const who = [unit.Name, unit.Number && `#${unit.Number}`].filter(Boolean).join(' ') || 'A unit';
  return `${who} of team "${teamName}"`;
}
