import fc from 'fast-check';
import { checkoutOf } from '../factories/delivery';
import { makePng, makePngClaiming } from '../factories/png';
import { startTestApp, type TestApp } from '../helpers/app';

/**
 * Property-based tests over the webhook: random valid deliveries always make the kit they describe, and random
 * hostile mutations of them are always refused with a problem body and leave nothing behind.
 */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const VALID_RUNS = 60;
const MUTATION_RUNS = 160;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ maxBodyBytes: 512 * 1024, maxImageBytes: 64 * 1024 });
});
afterAll(() => app.close());

// Any text PostgreSQL can hold: unicode, emoji, control characters other than NUL, and hostile markup.
const text = (maxLength: number) =>
  fc.oneof(
    fc.string({ unit: 'grapheme', maxLength }),
    fc.string({ unit: fc.integer({ min: 1, max: 0x1f }).map((c) => String.fromCharCode(c)), maxLength }),
    fc.constantFrom('<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'Ølstykke FC 🏆', "Robert'); DROP TABLE kits;--"),
  );
// Whole cents; sometimes with a float artifact far below a cent, which rounds back to those cents.
const cents = fc.integer({ min: 0, max: 100_000 });
const price = (c: number, artifact: boolean) => c / 100 + (artifact ? 1e-9 : 0);
const fmt = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;

const sizeArb = fc.record({ Name: text(20), Quantity: fc.integer({ min: 0, max: 50 }), cartCents: fc.option(cents), TaxExempt: fc.boolean(), Sku: text(10) });
const deliveryArb = fc
  .record({
    id: fc.uuid(),
    name: text(40).filter((s) => s.length > 0),
    html: text(60),
    unitCents: cents,
    artifact: fc.boolean(),
    sizes: fc.array(sizeArb, { minLength: 1, maxLength: 5 }),
    teams: fc.array(fc.record({ Name: text(20), Units: fc.array(fc.record({ Name: text(20), Number: fc.oneof(fc.string({ maxLength: 4 }), fc.integer({ min: 0, max: 99 })) }), { maxLength: 6 }) }), { maxLength: 3 }),
    quantity: fc.integer({ min: 1, max: 500 }),
  })
  .map((d) => ({
    model: d,
    delivery: {
      PublicWebhookId: d.id,
      SingleItemCheckout: {
        CategoryName: 'Football',
        DesignName: 'Stripes',
        Html: d.html,
        MainImage: null,
        Name: d.name,
        Price: price(d.unitCents * d.quantity, false),
        ProductName: 'Shirt',
        Quantity: d.quantity,
        TotalWeight: null,
        UnitPrice: price(d.unitCents, d.artifact),
        UnitWeight: 0.2,
        TeamDetails: {
          EnterTeams: d.teams.length > 0,
          Files: null,
          Sizes: d.sizes.map((s) => ({ Name: s.Name, Quantity: s.Quantity, CartPrice: s.cartCents === null ? null : price(s.cartCents, d.artifact), TaxExempt: s.TaxExempt, Sku: s.Sku })),
          // Units wear the sizes of the kit, in turn.
          Teams: d.teams.map((t) => ({ Name: t.Name, Units: t.Units.map((u, i) => ({ ...u, Size: d.sizes[i % d.sizes.length]!.Name, CartPrice: null, Sku: '', TaxExempt: false })) })),
        },
      },
    },
  }));

type Model = { unitCents: number; quantity: number; sizes: Array<{ Name: string; Quantity: number; cartCents: number | null; TaxExempt: boolean }> };

/** The documented rule, independently: a line per size with garments; else per roster size; else Quantity. */
function expectedLines(model: Model, checkout: Json) {
  const sized = model.sizes.filter((s) => s.Quantity > 0).map((s) => ({ size: s.Name, quantity: s.Quantity, cents: s.cartCents ?? model.unitCents, taxExempt: s.TaxExempt }));
  const rosterSizes = checkout.TeamDetails.Teams.flatMap((t: Json) => t.Units.map((u: Json) => u.Size as string));
  const byRoster = [...new Set<string>(rosterSizes)].map((size) => ({ size, quantity: rosterSizes.filter((s: string) => s === size).length, cents: model.unitCents, taxExempt: false }));
  const lines = sized.length ? sized : byRoster.length ? byRoster : [{ size: '', quantity: model.quantity, cents: model.unitCents, taxExempt: false }];
  return {
    lines: lines.map(({ cents, ...line }) => ({ ...line, unitPrice: fmt(cents) })),
    totalCents: lines.reduce((sum, line) => sum + line.quantity * line.cents, 0),
  };
}

it(`makes the kit a valid delivery describes: lines, total and roster (${VALID_RUNS} random deliveries)`, async () => {
  await fc.assert(
    fc.asyncProperty(deliveryArb, async ({ model, delivery }) => {
      const response = await app.deliver(delivery);
      expect(response.status).toBe(200);
      const expected = expectedLines(model, checkoutOf(delivery));
      expect(response.body.lines.map(({ size, quantity, unitPrice, taxExempt }: Record<string, unknown>) => ({ size, quantity, unitPrice, taxExempt }))).toEqual(expected.lines);
      expect(response.body.total).toBe(fmt(expected.totalCents));

      const roster = await app
        .db('kit_units as u')
        .join('kit_teams as t', 't.id', 'u.team_id')
        .where('t.kit_id', response.body.id)
        .orderBy([{ column: 't.position' }, { column: 'u.position' }])
        .select('t.name as team', 'u.name', 'u.number', 'u.size');
      const units = checkoutOf(delivery).TeamDetails.Teams.flatMap((t: any) => // eslint-disable-line @typescript-eslint/no-explicit-any
        t.Units.map((u: any) => ({ team: t.Name, name: u.Name, number: String(u.Number), size: u.Size })), // eslint-disable-line @typescript-eslint/no-explicit-any
      );
      expect(roster).toEqual(units);
      const { html } = await app.db('kits').where({ id: response.body.id }).first('html');
      expect(html).not.toMatch(/<script|onerror=/i);
    }),
    { numRuns: VALID_RUNS },
  );
});

const at = (delivery: Json, path: string[]) => path.slice(0, -1).reduce((node, key) => node[key], delivery);

/** Hostile changes, each of which must make the delivery unacceptable. */
const TYPED_FIELDS = [
  ['PublicWebhookId'],
  ['SingleItemCheckout'],
  ['SingleItemCheckout', 'Name'],
  ['SingleItemCheckout', 'Price'],
  ['SingleItemCheckout', 'UnitPrice'],
  ['SingleItemCheckout', 'Quantity'],
  ['SingleItemCheckout', 'TeamDetails', 'Sizes', '0', 'Quantity'],
  ['SingleItemCheckout', 'TeamDetails', 'Sizes', '0', 'Name'],
];
const NUMBER_FIELDS = TYPED_FIELDS.filter((path) => /Price|Quantity/.test(path.at(-1)!));
const deep = (depth: number): unknown => Array.from({ length: depth }).reduce<unknown>((inner) => [inner], 1);
const mutationArb = fc.oneof(
  fc.record({ kind: fc.constant('wrong type'), path: fc.constantFrom(...TYPED_FIELDS), value: fc.constantFrom<unknown>(true, {}, [], deep(2_000)) }),
  fc.record({ kind: fc.constant('number as text'), path: fc.constantFrom(...NUMBER_FIELDS), value: fc.constantFrom('7', 'NaN', 'Infinity', '1e309', '') }),
  fc.record({ kind: fc.constant('missing'), path: fc.constantFrom(...TYPED_FIELDS) }),
  fc.record({ kind: fc.constant('bad number'), path: fc.constantFrom(['SingleItemCheckout', 'Quantity'], ['SingleItemCheckout', 'TeamDetails', 'Sizes', '0', 'Quantity']), value: fc.oneof(fc.integer({ max: -1 }), fc.double({ min: 0.01, max: 99.99, noInteger: true })) }),
  fc.record({ kind: fc.constant('negative price'), path: fc.constantFrom(['SingleItemCheckout', 'UnitPrice'], ['SingleItemCheckout', 'Price']), value: fc.double({ min: -1e9, max: -0.01, noNaN: true }) }),
  fc.record({ kind: fc.constant('huge string'), path: fc.constantFrom(['SingleItemCheckout', 'Name'], ['PublicWebhookId']), value: fc.integer({ min: 2_000, max: 100_000 }).map((n) => 'x'.repeat(n)) }),
  fc.record({ kind: fc.constant('bad text'), path: fc.constantFrom(['SingleItemCheckout', 'Name'], ['SingleItemCheckout', 'TeamDetails', 'Sizes', '0', 'Name']), value: fc.constantFrom('a\u0000b', 'lone \ud800 surrogate') }),
  fc.record({
    kind: fc.constant('bad image'),
    path: fc.constant(['SingleItemCheckout', 'MainImage']),
    value: fc.oneof(
      fc.string({ minLength: 1, maxLength: 200 }).filter((s) => !/^[A-Za-z0-9+/]*={0,2}$/.test(s)),
      fc.uint8Array({ minLength: 1, maxLength: 2_000 }).map((bytes) => Buffer.from(bytes).toString('base64')),
      fc.integer({ min: 20_000, max: 2 ** 31 - 1 }).map((side) => makePngClaiming(side, side).toString('base64')),
      fc.constant(`data:image/png;base64,${makePng(300, 300, { noise: true }).toString('base64')}`),
    ),
  }),
  fc.record({ kind: fc.constant('broken JSON'), cut: fc.integer({ min: 1, max: 200 }) }),
);

it(`refuses hostile mutations with a 4xx problem and leaves nothing behind (${MUTATION_RUNS} random mutations)`, async () => {
  const before = await app.footprint();
  await fc.assert(
    fc.asyncProperty(deliveryArb, mutationArb, async ({ delivery }, mutation) => {
      let body: string;
      if (mutation.kind === 'broken JSON') {
        const text = JSON.stringify(delivery);
        body = text.slice(0, Math.max(1, text.length - (mutation as { cut: number }).cut));
      } else {
        const { path, value } = mutation as { path: string[]; value?: unknown };
        const parent = at(delivery, path);
        if (mutation.kind === 'missing') delete parent[path.at(-1)!];
        else parent[path.at(-1)!] = value;
        body = JSON.stringify(delivery);
      }
      const response = await app.deliver(body);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body.code).toEqual(expect.any(String));
      expect(await app.footprint()).toEqual(before);
    }),
    { numRuns: MUTATION_RUNS },
  );
});
