import { buildKit } from '../../src/webhook/build';
import { deliverySchema } from '../../src/webhook/schema';
import { formatMinor } from '../../src/shared/money';
import { aDelivery } from '../factories/delivery';

const build = (delivery: object) => buildKit(deliverySchema.parse(delivery), '<p>Kit</p>');

it('makes no warnings for a delivery that agrees with itself', () => {
  const kit = build(aDelivery({ sizes: [{ Name: 'S', Quantity: 1 }, { Name: 'M', Quantity: 2 }] }));
  expect(kit.warnings).toEqual([]);
  expect(formatMinor(kit.total)).toBe('60.00');
});

it('rounds prices with more decimals than the currency, and says so', () => {
  const kit = build(aDelivery({ UnitPrice: 19.995, Price: 40, sizes: [{ Name: 'M', Quantity: 2 }] }));
  expect(kit.lines[0]!.unitPrice).toBe(2000n);
  expect(kit.warnings).toContain('UnitPrice 19.995 was rounded to 20.00.');
});

it('skips a size with quantity 0, and says so', () => {
  const kit = build(aDelivery({ sizes: [{ Name: 'S', Quantity: 0 }, { Name: 'M', Quantity: 2 }] }));
  expect(kit.lines.map((l) => l.size)).toEqual(['M']);
  expect(kit.warnings).toEqual(['Size "S" has quantity 0; no line was made for it.']);
});

it('warns when the roster does not match the size quantities', () => {
  const kit = build(
    aDelivery({ sizes: [{ Name: 'M', Quantity: 2 }], teams: [{ Name: 'A', Units: [{ Name: 'x', Number: '1', Size: 'M' }] }] }),
  );
  expect(kit.warnings).toEqual(['Size "M" has quantity 2 but the roster lists 1 units of it.']);
});

it('reads a numeric shirt Number as text', () => {
  const delivery = aDelivery({ sizes: [{ Name: 'M', Quantity: 1 }], teams: [{ Name: 'A', Units: [{ Name: 'x', Number: 7 as never, Size: 'M' }] }] });
  expect(build(delivery).teams[0]!.units[0]!.number).toBe('7');
});
