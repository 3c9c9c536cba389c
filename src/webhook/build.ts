import type { KitDraft } from '../kits/draft';
import { formatMinor, sumMinor, toMinor } from '../shared/money';
import { disagreements } from './disagreements';
import { linesOf, type Money } from './lines';
import { rosterOf } from './roster';
import type { Delivery } from './schema';

/**
 * Turns a validated delivery into the kit to store. Pure: every decision about lines, prices and
 * disagreements lives in its steps: the lines, the roster, and where the delivery disagrees with itself.
 * `sanitizedHtml` is the delivery's Html, sanitized (sanitizer.ts: it may take a worker thread).
 */
export function buildKit(delivery: Delivery, sanitizedHtml: string): KitDraft {
  const checkout = delivery.SingleItemCheckout;
  const warnings: string[] = [];
  const money: Money = (value, what) => {
    const rounded = toMinor(value);
    if (!rounded.exact) warnings.push(`${what} ${value} was rounded to ${formatMinor(rounded.minor)}.`);
    return rounded.minor;
  };

  const declaredUnitPrice = money(checkout.UnitPrice, 'UnitPrice');
  const declaredPrice = money(checkout.Price, 'Price');
  const lines = linesOf(checkout, declaredUnitPrice, money, warnings);
  const teams = rosterOf(checkout.TeamDetails.Teams, lines, money, warnings);
  const quantity = lines.reduce((sum, line) => sum + line.quantity, 0);
  const total = sumMinor(lines.map((line) => line.unitPrice * BigInt(line.quantity)));
  warnings.push(...disagreements({ lines, teams, quantity, total, declaredQuantity: checkout.Quantity, declaredPrice }));

  return {
    publicWebhookId: delivery.PublicWebhookId,
    name: checkout.Name,
    productName: checkout.ProductName,
    categoryName: checkout.CategoryName,
    designName: checkout.DesignName,
    html: sanitizedHtml,
    declaredQuantity: checkout.Quantity,
    declaredUnitPrice,
    declaredPrice,
    quantity,
    total,
    unitWeight: checkout.UnitWeight,
    totalWeight: checkout.TotalWeight,
    enterTeams: checkout.TeamDetails.EnterTeams,
    lines,
    teams,
    warnings,
  };
}
