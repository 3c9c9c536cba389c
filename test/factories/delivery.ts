import { generateDelivery } from '../../src/cli/generate';
import sample from '../../docs/kitbuilder/single-item-checkout.sample.json';

/** JSON as Kit Builder sends it: loose, so tests can also build wrong payloads. */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The documentation's sample, as a fresh copy each time. */
export const sampleDelivery = (): Json => structuredClone(sample);

export interface Size {
  Name: string;
  Quantity: number;
  CartPrice?: number | null;
  Sku?: string;
  TaxExempt?: boolean;
}
export interface Unit {
  Name: string;
  Number: string;
  Size: string;
  CartPrice?: number | null;
  Sku?: string;
  TaxExempt?: boolean;
}

/**
 * A consistent delivery (sizes add up, price matches) unless overridden; each call is a new delivery
 * because PublicWebhookId is fresh.
 */
export function aDelivery(
  checkout: Partial<Json> & { sizes?: Size[]; teams?: Array<{ Name: string; Units: Unit[] }> } = {},
): Json {
  const { sizes = [{ Name: 'M', Quantity: 2 }], teams = [], ...rest } = checkout;
  const unitPrice = (rest.UnitPrice as number | undefined) ?? 20;
  const quantity = sizes.reduce((sum, s) => sum + s.Quantity, 0) || 1;
  const { PublicWebhookId, SingleItemCheckout: base } = generateDelivery({ teams: 0, unitsPerTeam: 0 });
  return {
    PublicWebhookId,
    SingleItemCheckout: {
      ...base,
      Name: 'Football Home Shirt Stripes',
      Price: unitPrice * quantity,
      Quantity: quantity,
      TotalWeight: 0.25 * quantity,
      UnitPrice: unitPrice,
      TeamDetails: {
        EnterTeams: teams.length > 0,
        Files: null,
        Sizes: sizes.map((s) => ({ CartPrice: null, Sku: '', TaxExempt: false, ...s })),
        Teams: teams.map((t) => ({
          Name: t.Name,
          Units: t.Units.map((u) => ({ CartPrice: null, Sku: '', TaxExempt: false, ...u })),
        })),
      },
      ...rest,
    },
  };
}

/** A roster of `teams` teams with `unitsPerTeam` units each, sizes S/M/L, and the matching size lines. */
export const aRosterDelivery = (teams: number, unitsPerTeam: number): Json => generateDelivery({ teams, unitsPerTeam });

export const checkoutOf = (delivery: Json): Json => delivery.SingleItemCheckout;
