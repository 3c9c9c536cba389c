import fc from 'fast-check';
import { buildSheet, csvRows } from '../../src/console/sheet';
import type { StoredLine, TeamRow } from '../../src/kits/stored';
import { csvCell, toCsv } from '../../src/shared/csv';

const line = (id: string, size: string, quantity: number, sku = ''): StoredLine => ({
  id, position: Number(id), size, quantity, sku, unitPrice: '10.00', taxExempt: false, nop: null,
});
const unit = (name: string, number: string, size: string, lineId: string | null) => ({ name, number, size, sku: '', lineId });

const lines = [line('1', 'S', 3, 'SKU-S'), line('2', 'M', 1, 'SKU-M')];
const teams: TeamRow[] = [
  { name: 'Piger', units: [unit('Åse', '10', 'S', '1'), unit('Bo', '2', 'S', '1')] },
  { name: 'Drenge', units: [unit('Mads', '', 'M', '2'), unit('Søren', '1', 'M', '2'), unit('Ib', '3', 'XL', null)] },
];

describe('a print sheet per size', () => {
  const groups = buildSheet({ lines, teams }, 'size');

  it('has a page per line in order, then one per size no line orders', () => {
    expect(groups.map((g) => g.title)).toEqual(['S', 'M', 'XL']);
  });

  it('sorts by team, then by number numerically, garments without a number last', () => {
    expect(groups[0]!.garments.map((g) => `${g.team} ${g.number}`)).toEqual(['Piger 2', 'Piger 10']);
    expect(groups[1]!.garments.map((g) => `${g.number}:${g.name}`)).toEqual(['1:Søren', ':Mads']);
  });

  it('counts the garments the roster does not name, so each page adds up to its line', () => {
    expect(groups[0]).toMatchObject({ count: 3, unnamed: [{ size: 'S', sku: 'SKU-S', count: 1 }], warnings: [] });
    expect(groups[2]!.warnings).toEqual(['No line of the order has size "XL"; check these with the customer.']);
  });

  it('says so where the roster names more garments than the line orders', () => {
    expect(groups[1]).toMatchObject({ count: 2, unnamed: [], warnings: ['The roster names 2 garments of this size but the order has 1.'] });
  });
});

describe('a print sheet per team', () => {
  it('has a page per team, sorted by size then number, and one for the garments no roster entry names', () => {
    const groups = buildSheet({ lines, teams }, 'team');
    expect(groups.map((g) => [g.title, g.count])).toEqual([['Piger', 2], ['Drenge', 3], ['Without a roster entry', 1]]);
    expect(groups[1]!.garments.map((g) => `${g.size} ${g.number}`)).toEqual(['M 1', 'M ', 'XL 3']);
    expect(groups[2]!.unnamed).toEqual([{ size: 'S', sku: 'SKU-S', count: 1 }]);
  });

  it('puts every garment of a kit without a roster on one page', () => {
    expect(buildSheet({ lines, teams: [] }, 'team')).toEqual([
      { title: 'All garments', garments: [], unnamed: [{ size: 'S', sku: 'SKU-S', count: 3 }, { size: 'M', sku: 'SKU-M', count: 1 }], count: 4, warnings: [] },
    ]);
  });
});

it('prints every garment exactly once whichever the grouping, and the CSV has a row for each', () => {
  const kit = fc.integer({ min: 1, max: 4 }).chain((sizes) =>
    fc.record({
      quantities: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: sizes, maxLength: sizes }),
      teams: fc.array(fc.array(fc.integer({ min: -1, max: sizes - 1 }), { maxLength: 8 }), { maxLength: 3 }),
    }),
  );
  fc.assert(
    fc.property(kit, ({ quantities, teams: rosters }) => {
      const kitLines = quantities.map((q, i) => line(String(i + 1), `size ${i}`, q));
      const kitTeams = rosters.map((r, t) => ({
        name: `team ${t}`,
        units: r.map((s, u) => unit(`p${u}`, String(u), s < 0 ? 'other' : `size ${s}`, s < 0 ? null : String(s + 1))),
      }));
      const named = kitTeams.reduce((sum, t) => sum + t.units.length, 0);
      const perLine = kitLines.map((l) => kitTeams.flatMap((t) => t.units).filter((u) => u.lineId === l.id).length);
      const expected = kitLines.reduce((sum, l, i) => sum + Math.max(l.quantity - perLine[i]!, 0), 0) + named;
      const total = (by: 'size' | 'team') => buildSheet({ lines: kitLines, teams: kitTeams }, by).reduce((sum, g) => sum + g.count, 0);
      expect(total('size')).toBe(expected);
      expect(total('team')).toBe(expected);
      expect(csvRows({ id: 'k', name: 'n', lines: kitLines, teams: kitTeams })).toHaveLength(expected);
    }),
  );
});

describe('CSV', () => {
  it('quotes commas, quotes and line breaks', () => {
    expect(csvCell('Hansen, Søren')).toBe('"Hansen, Søren"');
    expect(csvCell('The "Rocket"')).toBe('"The ""Rocket"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('plain')).toBe('plain');
  });

  it('neutralises cells a spreadsheet would run as a formula', () => {
    expect(['=1+1', '+45 1234', '-2', '@SUM(A1)', '\tx'].map(csvCell)).toEqual(["'=1+1", "'+45 1234", "'-2", "'@SUM(A1)", "'\tx"]);
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
  });

  it('neutralises a formula behind leading whitespace, and the full-width signs spreadsheets also read as formulas', () => {
    const cells = [' =1+1', '\u00a0 +1', '\u3000-1', '\n@A1', '\r=1', '＝1+1', '＋1', '－1', '＠A1', '  ＝1'];
    expect(cells.map(csvCell)).toEqual(cells.map((cell) => (/[\r\n]/.test(cell) ? `"'${cell}"` : `'${cell}`)));
    expect(['a=1', '1-2', 'x@y.dk', '', ' '].map(csvCell)).toEqual(['a=1', '1-2', 'x@y.dk', '', ' ']);
  });

  it('starts with a UTF-8 byte order mark and ends every row with CRLF', () => {
    expect(toCsv(['a', 'b'], [['Ærø', '1']])).toBe('\uFEFFa,b\r\nÆrø,1\r\n');
  });
});
