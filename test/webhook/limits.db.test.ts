import { worstDelivery } from '../../bench/worst';
import {
  MAX_FILES,
  MAX_KIT_QUANTITY,
  MAX_KIT_TOTAL,
  MAX_NUMBER,
  MAX_PRICE,
  MAX_SIZES,
  MAX_TEAMS,
  MAX_TEXT,
  MAX_UNITS,
  MAX_UNITS_PER_TEAM,
  MAX_WEIGHT,
} from '../../src/kits/bounds';
import { aDelivery, checkoutOf } from '../factories/delivery';
import { startTestApp, type TestApp } from '../helpers/app';

/**
 * The bounds of a kit (README, "Limits"): the largest delivery within all of them is stored whole, and one step
 * beyond any of them is refused with a 400 that names the field. How fast the largest one is stored is measured
 * by `npm run bench -- --worst`, not here.
 */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

it('stores the largest delivery within every bound, whole', async () => {
  const response = await app.deliver(worstDelivery());
  expect(response.status).toBe(200);
  expect(response.body.lines).toHaveLength(MAX_SIZES);
  expect(response.body.total).toBe(`${MAX_KIT_QUANTITY * MAX_PRICE}.00`);
  const teams = await app.db('kit_teams').where({ kit_id: response.body.id }).pluck('id');
  expect(teams).toHaveLength(MAX_TEAMS);
  const [{ n: units }] = await app.db('kit_units').whereIn('team_id', teams).count({ n: '*' });
  expect(Number(units)).toBe(MAX_UNITS);
});

/** A small delivery with one size and one team of one unit, changed by `change`. */
function beyond(change: (checkout: Json, delivery: Json) => void): Json {
  const delivery = aDelivery({ teams: [{ Name: 'First team', Units: [{ Name: 'Kim', Number: '9', Size: 'M' }] }] });
  change(checkoutOf(delivery), delivery);
  return delivery;
}
const text = (length: number) => '山'.repeat(length);
const units = (n: number, size = (_: number) => 'M') => Array.from({ length: n }, (_, i) => ({ Name: `Player ${i}`, Number: String(i), Size: size(i) }));
const sizes = (n: number, quantity = 1) => Array.from({ length: n }, (_, i) => ({ Name: `Size ${i}`, Quantity: quantity }));

const BEYOND: Array<[string, Json, string]> = [
  ['one team too many', beyond((c) => (c.TeamDetails.Teams = Array.from({ length: MAX_TEAMS + 1 }, (_, i) => ({ Name: `Team ${i}`, Units: [] })))), 'SingleItemCheckout.TeamDetails.Teams'],
  ['one unit too many in a team', beyond((c) => (c.TeamDetails.Teams[0].Units = units(MAX_UNITS_PER_TEAM + 1))), 'SingleItemCheckout.TeamDetails.Teams.0.Units'],
  [
    'one unit too many in the kit',
    beyond((c) => (c.TeamDetails.Teams = Array.from({ length: Math.ceil((MAX_UNITS + 1) / MAX_UNITS_PER_TEAM) }, (_, t) => ({ Name: `Team ${t}`, Units: units(Math.min(MAX_UNITS_PER_TEAM, MAX_UNITS + 1 - t * MAX_UNITS_PER_TEAM)) })))),
    'SingleItemCheckout.TeamDetails.Teams',
  ],
  ['one size too many', beyond((c) => (c.TeamDetails.Sizes = sizes(MAX_SIZES + 1))), 'SingleItemCheckout.TeamDetails.Sizes'],
  ['a roster in one size too many', beyond((c) => ((c.TeamDetails.Sizes = []), (c.TeamDetails.Teams[0].Units = units(MAX_SIZES + 1, (i) => `Size ${i}`)))), 'SingleItemCheckout.TeamDetails.Teams'],
  ['sizes adding up to one garment too many', beyond((c) => (c.TeamDetails.Sizes = [...sizes(1, MAX_KIT_QUANTITY), { Name: 'L', Quantity: 1 }])), 'SingleItemCheckout.TeamDetails.Sizes'],
  ['one garment too many in a size', beyond((c) => (c.TeamDetails.Sizes[0].Quantity = MAX_KIT_QUANTITY + 1)), 'SingleItemCheckout.TeamDetails.Sizes.0.Quantity'],
  ['one garment too many in Quantity', beyond((c) => (c.Quantity = MAX_KIT_QUANTITY + 1)), 'SingleItemCheckout.Quantity'],
  ['UnitPrice a cent too high', beyond((c) => (c.UnitPrice = MAX_PRICE + 0.01)), 'SingleItemCheckout.UnitPrice'],
  ["a size's CartPrice a cent too high", beyond((c) => (c.TeamDetails.Sizes[0].CartPrice = MAX_PRICE + 0.01)), 'SingleItemCheckout.TeamDetails.Sizes.0.CartPrice'],
  ["a unit's CartPrice a cent too high", beyond((c) => (c.TeamDetails.Teams[0].Units[0].CartPrice = MAX_PRICE + 0.01)), 'SingleItemCheckout.TeamDetails.Teams.0.Units.0.CartPrice'],
  ['Price a cent too high', beyond((c) => (c.Price = MAX_KIT_TOTAL + 0.01)), 'SingleItemCheckout.Price'],
  ['UnitWeight a step too high', beyond((c) => (c.UnitWeight = MAX_WEIGHT + 0.0001)), 'SingleItemCheckout.UnitWeight'],
  ['TotalWeight a step too high', beyond((c) => (c.TotalWeight = MAX_WEIGHT + 0.0001)), 'SingleItemCheckout.TotalWeight'],
  ['a numeric Number one too high', beyond((c) => (c.TeamDetails.Teams[0].Units[0].Number = MAX_NUMBER + 1)), 'SingleItemCheckout.TeamDetails.Teams.0.Units.0.Number'],
  ['one file too many', beyond((c) => (c.TeamDetails.Files = Array.from({ length: MAX_FILES + 1 }, () => ({})))), 'SingleItemCheckout.TeamDetails.Files'],
  ['PublicWebhookId a character too long', beyond((_, d) => (d.PublicWebhookId = text(MAX_TEXT.publicWebhookId + 1))), 'PublicWebhookId'],
  ['Name a character too long', beyond((c) => (c.Name = text(MAX_TEXT.kitName + 1))), 'SingleItemCheckout.Name'],
  ...(['CategoryName', 'DesignName', 'ProductName'] as const).map((field): [string, Json, string] => [
    `${field} a character too long`,
    beyond((c) => (c[field] = text(MAX_TEXT.label + 1))),
    `SingleItemCheckout.${field}`,
  ]),
  ['Html a character too long', beyond((c) => (c.Html = text(MAX_TEXT.html + 1))), 'SingleItemCheckout.Html'],
  ["a team's Name a character too long", beyond((c) => (c.TeamDetails.Teams[0].Name = text(MAX_TEXT.teamName + 1))), 'SingleItemCheckout.TeamDetails.Teams.0.Name'],
  ["a unit's Name a character too long", beyond((c) => (c.TeamDetails.Teams[0].Units[0].Name = text(MAX_TEXT.unitName + 1))), 'SingleItemCheckout.TeamDetails.Teams.0.Units.0.Name'],
  ["a unit's Number a character too long", beyond((c) => (c.TeamDetails.Teams[0].Units[0].Number = text(MAX_TEXT.number + 1))), 'SingleItemCheckout.TeamDetails.Teams.0.Units.0.Number'],
  ["a unit's Size a character too long", beyond((c) => (c.TeamDetails.Teams[0].Units[0].Size = text(MAX_TEXT.size + 1))), 'SingleItemCheckout.TeamDetails.Teams.0.Units.0.Size'],
  ["a unit's Sku a character too long", beyond((c) => (c.TeamDetails.Teams[0].Units[0].Sku = text(MAX_TEXT.sku + 1))), 'SingleItemCheckout.TeamDetails.Teams.0.Units.0.Sku'],
  ["a size's Name a character too long", beyond((c) => (c.TeamDetails.Sizes[0].Name = text(MAX_TEXT.size + 1))), 'SingleItemCheckout.TeamDetails.Sizes.0.Name'],
  ["a size's Sku a character too long", beyond((c) => (c.TeamDetails.Sizes[0].Sku = text(MAX_TEXT.sku + 1))), 'SingleItemCheckout.TeamDetails.Sizes.0.Sku'],
];

it.each(BEYOND)('refuses %s with 400 naming the field, storing nothing', async (_, delivery, path) => {
  const before = await app.footprint();
  const response = await app.deliver(delivery);
  expect(response.status).toBe(400);
  expect(response.body.code).toBe('invalid-payload');
  expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(path);
  expect(await app.footprint()).toEqual(before);
});

it('accepts each of those fields at its bound', async () => {
  const atBounds = beyond((c, d) => {
    d.PublicWebhookId = text(MAX_TEXT.publicWebhookId);
    Object.assign(c, { Name: text(MAX_TEXT.kitName), Quantity: MAX_KIT_QUANTITY, UnitPrice: MAX_PRICE, Price: MAX_KIT_TOTAL, UnitWeight: MAX_WEIGHT, TotalWeight: MAX_WEIGHT });
    c.TeamDetails.Sizes = [{ Name: text(MAX_TEXT.size), Quantity: MAX_KIT_QUANTITY, CartPrice: MAX_PRICE, Sku: text(MAX_TEXT.sku) }];
    c.TeamDetails.Teams = [{ Name: text(MAX_TEXT.teamName), Units: [{ Name: text(MAX_TEXT.unitName), Number: MAX_NUMBER, Size: text(MAX_TEXT.size), Sku: text(MAX_TEXT.sku), CartPrice: MAX_PRICE }] }];
    c.TeamDetails.Files = Array.from({ length: MAX_FILES }, () => ({}));
  });
  expect((await app.deliver(atBounds)).status).toBe(200);
});
