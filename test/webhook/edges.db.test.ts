import fc from 'fast-check';
import {
  MAX_KIT_QUANTITY,
  MAX_KIT_TOTAL,
  MAX_NUMBER,
  MAX_PRICE,
  MAX_SIZES,
  MAX_TEAMS,
  MAX_TEXT,
  MAX_UNITS_PER_TEAM,
  MAX_WEIGHT,
} from '../../src/kits/bounds';
import { startTestApp, type TestApp } from '../helpers/app';

/**
 * Deliveries with every field at the edges of its bound (0, the smallest step, the bound, one step beyond, text
 * at its length in characters of one, two and three UTF-8 bytes and in emoji), all at once: whatever the
 * schema accepts must be stored (200), and anything else refused with a 4xx problem. Never a 5xx: a
 * 500 here means a value the schema let through that a column, or a total derived from it, cannot hold.
 */
const RUNS = 120;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

/** Mostly values at the edges within a bound, sometimes one beyond it: most deliveries are then acceptable. */
const edge = <T>(within: T[], beyond: T[]) =>
  fc.oneof({ weight: 24, arbitrary: fc.constantFrom(...within) }, { weight: 1, arbitrary: fc.constantFrom(...beyond) });
/**
 * The lowest value, the smallest step above it, the bound and just below it; beyond: one step outside either end
 * (and, for amounts, a tenth of a cent above the bound, which must not round into it; for counts, a fraction).
 */
const edges = (max: number, step: number, { min = 0, integer = step === 1 } = {}) =>
  integer
    ? edge([min, min + 1, max - 1, max], [min - 1, max + 1, min + 0.5])
    : edge([min, min + step, max - step, max - step / 10, max], [min - step, max + step / 10, max + step]);
const money = (max: number) => edges(max, 0.01);
const optional = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.constant(null));

// One, two, three and four bytes in UTF-8; the emoji is two UTF-16 code units, which is what lengths count.
const CHARACTERS = ['a', 'ø', '山', '🏆'];
const textAt = (max: number, { min = 0 } = {}) =>
  fc.record({ length: edge([min, min + 1, max - 1, max], [min - 1, max + 1].filter((n) => n >= 0)), character: fc.constantFrom(...CHARACTERS) }).map(
    ({ length, character }) => character.repeat(Math.floor(length / character.length)) + (length % character.length ? 'x' : ''),
  );

const sizeArb = fc.record({
  CartPrice: optional(money(MAX_PRICE)),
  Name: textAt(MAX_TEXT.size, { min: 1 }),
  Quantity: edges(MAX_KIT_QUANTITY, 1),
  Sku: textAt(MAX_TEXT.sku),
  TaxExempt: fc.boolean(),
});
const unitArb = (size: string) =>
  fc.record({
    CartPrice: optional(money(MAX_PRICE)),
    Name: textAt(MAX_TEXT.unitName),
    Number: fc.oneof(textAt(MAX_TEXT.number), edges(MAX_NUMBER, 1, { min: -MAX_NUMBER })),
    Size: fc.oneof(fc.constant(size), textAt(MAX_TEXT.size)),
    Sku: textAt(MAX_TEXT.sku),
    TaxExempt: fc.boolean(),
  });
/** Usually a few; sometimes exactly at a list's bound, or one beyond it. */
const listAt = <T>(item: fc.Arbitrary<T>, max: number) =>
  fc.oneof({ weight: 8, arbitrary: fc.array(item, { minLength: 1, maxLength: 3 }) }, fc.constantFrom(max, max + 1).chain((n) => fc.array(item, { minLength: n, maxLength: n })));

const deliveryArb = listAt(sizeArb, MAX_SIZES).chain((sizes) =>
  fc.record({
    PublicWebhookId: textAt(MAX_TEXT.publicWebhookId, { min: 1 }),
    SingleItemCheckout: fc.record({
      CategoryName: textAt(MAX_TEXT.label),
      DesignName: textAt(MAX_TEXT.label),
      Html: fc.oneof({ weight: 19, arbitrary: fc.constant('<p>Home shirt</p>') }, textAt(MAX_TEXT.html)),
      MainImage: fc.constant(null),
      Name: textAt(MAX_TEXT.kitName, { min: 1 }),
      Price: money(MAX_KIT_TOTAL),
      ProductName: textAt(MAX_TEXT.label),
      Quantity: edges(MAX_KIT_QUANTITY, 1, { min: 1 }),
      TotalWeight: optional(edges(MAX_WEIGHT, 0.0001)),
      UnitPrice: money(MAX_PRICE),
      UnitWeight: optional(edges(MAX_WEIGHT, 0.0001)),
      TeamDetails: fc.record({
        EnterTeams: fc.boolean(),
        Files: fc.constant(null),
        Sizes: fc.constant(sizes),
        Teams: fc.oneof(
          { weight: 8, arbitrary: fc.array(fc.record({ Name: textAt(MAX_TEXT.teamName), Units: fc.array(unitArb(sizes[0]!.Name), { maxLength: 3 }) }), { maxLength: 3 }) },
          fc.constantFrom(MAX_TEAMS, MAX_TEAMS + 1).map((n) => Array.from({ length: n }, (_, i) => ({ Name: `Team ${i}`, Units: [] }))),
          fc.constantFrom(MAX_UNITS_PER_TEAM, MAX_UNITS_PER_TEAM + 1).map((n) => [
            { Name: 'Squad', Units: Array.from({ length: n }, (_, i) => ({ Name: `Player ${i}`, Number: String(i), Size: sizes[0]!.Name })) },
          ]),
        ),
      }),
    }),
  }),
);

it(`answers a delivery at the edges of every bound with 200 or a 4xx problem, never 5xx (${RUNS} deliveries)`, async () => {
  const statuses: number[] = [];
  await fc.assert(
    fc.asyncProperty(deliveryArb, async (delivery) => {
      const before = await app.footprint();
      const response = await app.deliver(delivery);
      statuses.push(response.status);
      if (response.status === 200) {
        // stored, and readable again
        expect((await app.http().get(new URL(response.body.url).pathname)).status).toBe(200);
        return;
      }
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(await app.footprint()).toEqual(before);
    }),
    { numRuns: RUNS },
  );
  // The edges were reached from both sides: many deliveries stored, many refused.
  expect(statuses.filter((status) => status === 200).length).toBeGreaterThan(RUNS / 10);
  expect(statuses.filter((status) => status !== 200).length).toBeGreaterThan(RUNS / 10);
}, 300_000);
