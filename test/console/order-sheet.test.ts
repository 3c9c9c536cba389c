import fc from 'fast-check';
import { buildOrderSheet, orderCsvRows, type OrderSheetLine } from '../../src/console/order-sheet';
import type { KitRow, StoredLine, TeamRow } from '../../src/kits/stored';

const kitRow = (id: string): KitRow => ({ id, name: `Kit ${id}`, warnings: [] } as unknown as KitRow);
const line = (id: string, position: number, size: string): StoredLine => ({
  id, position, size, quantity: 5, sku: `SKU-${size}`, unitPrice: '10.00', taxExempt: false, nop: null,
});
const home = kitRow('home');
const away = kitRow('away');
const teams: TeamRow[] = [
  { name: 'Piger', units: [{ name: 'Åse', number: '10', size: 'M', sku: '', lineId: '2' }] },
  { name: 'Drenge', units: [] },
];
const [s, m] = [line('1', 0, 'S'), line('2', 1, 'M')];
const orderLine = (order: string, kit: KitRow, kitLine: StoredLine, quantity: number, values: string[] = []): OrderSheetLine => ({
  order, kit, teams: kit === home ? teams : [], line: kitLine, quantity, roster: { kitId: null, values, others: [] },
});

describe('the sheet of several orders', () => {
  const lines = [
    orderLine('1001', home, m, 2, ['Drenge – #3 – Bo', 'Piger – #10 – Åse']),
    orderLine('1001', away, s, 1),
    orderLine('1002', home, s, 1, ['Piger – #2 – Ida']),
    orderLine('1002', home, m, 1, ['Piger – #1 – Freja']),
  ];

  it('has a page per kit and size across the orders, each garment with its order', () => {
    const pages = buildOrderSheet(lines, 'size');
    expect(pages.map((p) => [p.kit.id, p.title, p.count])).toEqual([['home', 'S', 1], ['home', 'M', 3], ['away', 'S', 1]]);
    expect(pages[1]!.garments.map((g) => `${g.order} ${g.team} ${g.number}`)).toEqual(['1002 Piger 1', '1001 Piger 10', '1001 Drenge 3']);
    expect(pages[2]!.unnamed).toEqual([{ size: 'S', sku: 'SKU-S', count: 1, order: '1001' }]);
  });

  it('has a page per kit and team, and one for each kit’s garments without a roster entry', () => {
    const pages = buildOrderSheet(lines, 'team');
    expect(pages.map((p) => [p.kit.id, p.title, p.count])).toEqual([['home', 'Piger', 3], ['home', 'Drenge', 1], ['away', 'All garments', 1]]);
    expect(pages[0]!.garments.map((g) => `${g.size} ${g.number}`)).toEqual(['S 2', 'M 1', 'M 10']);
  });

  it('says on the page when a line’s roster names more garments than it orders, or none of the kit’s names', () => {
    const pages = buildOrderSheet([orderLine('7', home, m, 1, ['Piger – #1 – A', 'Piger – #2 – B']), orderLine('8', home, m, 1)], 'size');
    expect(pages[0]!.count).toBe(2 + 1);
    expect(pages[0]!.warnings).toEqual([
      'Order 7: the roster names 2 garments of this size but the line orders 1.',
      'Order 8: the line carries no roster, though the kit names 1 garment of this size; they are printed without names.',
    ]);
  });
});

it('prints every ordered garment exactly once whichever the grouping, and the CSV has a row for each', () => {
  const lineArb = fc.record({
    order: fc.constantFrom('1', '2', '3'),
    kit: fc.constantFrom(home, away),
    kitLine: fc.constantFrom(s, m),
    quantity: fc.integer({ min: 1, max: 5 }),
    values: fc.array(fc.constantFrom('Piger – #1 – A', 'Drenge – B', 'X – Y – Z', '#4', 'Ukendt – #5 – C'), { maxLength: 6 }),
  });
  fc.assert(
    fc.property(fc.array(lineArb, { maxLength: 8 }), (arbs) => {
      const lines = arbs.map((a) => orderLine(a.order, a.kit, a.kitLine, a.quantity, a.values));
      const expected = lines.reduce((sum, l) => sum + Math.max(l.quantity, l.roster.values.length), 0);
      for (const by of ['size', 'team'] as const) expect(buildOrderSheet(lines, by).reduce((sum, p) => sum + p.count, 0)).toBe(expected);
      expect(orderCsvRows(lines)).toHaveLength(expected);
    }),
  );
});
