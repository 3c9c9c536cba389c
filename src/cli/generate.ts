import { randomUUID } from 'node:crypto';
import { makePng } from '../images/make-png';

const FIRST_NAMES = ['Åsa', 'Björn', 'Zoë', 'Łukasz', 'Søren', 'Mélanie', 'José', 'Jürgen', '山田', 'Олег', 'Chloé', 'Ñandú'];
const SIZES = ['S', 'M', 'L'];
const UNIT_PRICE = 20;

/**
 * A consistent SingleItemCheckout as Kit Builder would send it: `teams` teams of `unitsPerTeam` players, sizes
 * S/M/L whose quantities add up, prices that match, and optionally a real PNG (`imageSide` pixels square, noisy
 * so it does not compress). Each call is a new delivery (fresh PublicWebhookId).
 */
export function generateDelivery({ teams, unitsPerTeam, imageSide }: { teams: number; unitsPerTeam: number; imageSide?: number }) {
  const rosters = Array.from({ length: teams }, (_, t) => ({
    Name: `Team ${t + 1} — Ølstykke FC`,
    Units: Array.from({ length: unitsPerTeam }, (_, u) => ({
      CartPrice: null,
      Name: `${FIRST_NAMES[(t + u) % FIRST_NAMES.length]} ${u + 1}`,
      Number: String(u + 1),
      Size: SIZES[u % SIZES.length]!,
      Sku: '',
      TaxExempt: false,
    })),
  }));
  const units = rosters.flatMap((team) => team.Units);
  const sizes = SIZES.map((name) => ({
    CartPrice: null,
    Name: name,
    Quantity: units.filter((unit) => unit.Size === name).length,
    Sku: '',
    TaxExempt: false,
  })).filter((size) => size.Quantity > 0);
  const quantity = units.length || 1;
  return {
    PublicWebhookId: randomUUID(),
    SingleItemCheckout: {
      CategoryName: 'Football',
      DesignName: 'Stripes',
      Html: '<p>Home shirt</p>',
      MainImage: imageSide ? makePng(imageSide, imageSide, { noise: true }).toString('base64') : null,
      Name: `Football Home Shirt Stripes (x ${quantity})`,
      Price: UNIT_PRICE * quantity,
      ProductName: 'Home Shirt',
      Quantity: quantity,
      TotalWeight: 0.25 * quantity,
      UnitPrice: UNIT_PRICE,
      UnitWeight: 0.25,
      TeamDetails: { EnterTeams: teams > 0, Files: null, Sizes: sizes.length ? sizes : [], Teams: rosters },
    },
  };
}
