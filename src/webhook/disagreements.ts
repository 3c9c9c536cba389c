import type { LineDraft, TeamDraft } from '../kits/draft';
import { formatMinor, type Minor } from '../shared/money';

/**
 * Where the delivery disagrees with itself. The cart follows the lines; each disagreement becomes a warning
 * rather than a silent guess: the lines against Quantity and Price, and each line against the roster.
 */
export function disagreements(kit: {
  lines: LineDraft[];
  teams: TeamDraft[];
  quantity: number;
  total: Minor;
  declaredQuantity: number;
  declaredPrice: Minor;
}): string[] {
  const warnings: string[] = [];
  if (kit.quantity !== kit.declaredQuantity) {
    warnings.push(`The lines add up to ${kit.quantity} garments but Quantity is ${kit.declaredQuantity}; the cart follows the lines.`);
  }
  if (kit.total !== kit.declaredPrice) {
    warnings.push(
      `The lines add up to ${formatMinor(kit.total)} but Price is ${formatMinor(kit.declaredPrice)}; the cart follows the lines.`,
    );
  }
  const units = kit.teams.flatMap((team) => team.units);
  if (units.length > 0) warnings.push(...rosterMismatches(kit.lines, units));
  return warnings;
}

function rosterMismatches(lines: LineDraft[], units: TeamDraft['units']): string[] {
  const unitsPerLine = new Map<number, number>();
  for (const unit of units) {
    if (unit.linePosition !== null) unitsPerLine.set(unit.linePosition, (unitsPerLine.get(unit.linePosition) ?? 0) + 1);
  }
  return lines
    .filter((line) => (unitsPerLine.get(line.position) ?? 0) !== line.quantity)
    .map((line) => `Size "${line.size}" has quantity ${line.quantity} but the roster lists ${unitsPerLine.get(line.position) ?? 0} units of it.`);
}
