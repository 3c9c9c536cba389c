import type { StoredLine, TeamRow } from '../kits/stored';

/**
 * The print room's sheet of a kit: its garments in groups (one printed page each), per size or per team, each
 * named garment with its team, number and name, and the garments no roster entry names. Every garment the
 * lines order is on exactly one page, so the groups' counts add up to the kit's quantity (plus any roster
 * entries beyond what the lines order, which are printed and pointed out).
 */

export type Grouping = 'size' | 'team';

export interface Garment {
  team: string;
  number: string;
  name: string;
  size: string;
  sku: string;
  /** the order it was bought in, on an order's sheet */
  order?: string;
}

/** Garments ordered without a roster entry, of one size (and one order, on an order's sheet). */
export interface Unnamed {
  size: string;
  sku: string;
  count: number;
  order?: string;
}

export interface SheetGroup {
  /** "128cm" for a size, the team's name for a team */
  title: string;
  /** named garments, sorted: by team then number (per size), or by size then number (per team) */
  garments: Garment[];
  /** garments ordered without a roster entry, per size: printed without name or number */
  unnamed: Unnamed[];
  count: number;
  /** what disagrees on this page, in words (the roster against the line's quantity) */
  warnings: string[];
}

const byNumber = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
/** Numbers numerically ("2" before "10"), garments without a number last, then by name. */
export const compareNumbers = (a: Garment, b: Garment) =>
  Number(a.number === '') - Number(b.number === '') || byNumber.compare(a.number, b.number) || byNumber.compare(a.name, b.name);

/** What a sheet needs of a kit: its lines and its roster. */
interface SheetKit {
  lines: StoredLine[];
  teams: TeamRow[];
}

export function buildSheet(kit: SheetKit, grouping: Grouping): SheetGroup[] {
  const lineOf = new Map(kit.lines.map((line) => [line.id, line]));
  const teamOrder = new Map(kit.teams.map((team, i) => [team, i]));
  const sizeOrder = new Map(kit.lines.map((line, i) => [line.size, i]));
  const named = kit.teams.flatMap((team) =>
    team.units.map((unit) => ({
      garment: { team: team.name, number: unit.number, name: unit.name, size: unit.size, sku: unit.sku || (unit.lineId ? lineOf.get(unit.lineId)?.sku ?? '' : '') },
      team,
      line: unit.lineId ? lineOf.get(unit.lineId) : undefined,
    })),
  );
  const namedOf = new Map<StoredLine, typeof named>(kit.lines.map((line) => [line, []]));
  for (const n of named) if (n.line) namedOf.get(n.line)!.push(n);
  const unnamed = kit.lines.map((line) => ({ line, count: Math.max(0, line.quantity - namedOf.get(line)!.length) }));

  if (grouping === 'size') {
    const groups: SheetGroup[] = kit.lines.map((line, i) => {
      const garments = [...namedOf.get(line)!];
      garments.sort((a, b) => teamOrder.get(a.team)! - teamOrder.get(b.team)! || compareNumbers(a.garment, b.garment));
      const extra = unnamed[i]!.count;
      const warnings = garments.length > line.quantity
        ? [`The roster names ${garments.length} garments of this size but the order has ${line.quantity}.`]
        : [];
      return group(line.size, garments.map((n) => n.garment), extra ? [{ size: line.size, sku: line.sku, count: extra }] : [], warnings);
    });
    // Roster entries whose size no line orders still need printing: a page per such size.
    const orphans = named.filter((n) => !n.line);
    for (const size of new Set(orphans.map((n) => n.garment.size))) {
      const garments = orphans.filter((n) => n.garment.size === size).map((n) => n.garment);
      garments.sort(compareNumbers);
      groups.push(group(size, garments, [], [`No line of the order has size "${size}"; check these with the customer.`]));
    }
    return groups;
  }

  const groups = kit.teams
    .filter((team) => team.units.length > 0)
    .map((team) => {
      const garments = named.filter((n) => n.team === team).map((n) => n.garment);
      garments.sort((a, b) => (sizeOrder.get(a.size) ?? Infinity) - (sizeOrder.get(b.size) ?? Infinity) || compareNumbers(a, b));
      return group(team.name || 'Team', garments, [], []);
    });
  const rest = unnamed.filter((u) => u.count > 0).map((u) => ({ size: u.line.size, sku: u.line.sku, count: u.count }));
  if (rest.length > 0) groups.push(group(kit.teams.length ? 'Without a roster entry' : 'All garments', [], rest, []));
  return groups;
}

export function group(title: string, garments: Garment[], unnamed: Unnamed[], warnings: string[]): SheetGroup {
  return { title, garments, unnamed, count: garments.length + unnamed.reduce((sum, u) => sum + u.count, 0), warnings };
}

/** One row per garment, as lettering and heat-press software import them: in the order of the size pages. */
export const CSV_HEADER = ['kit id', 'kit name', 'team', 'size', 'number', 'name', 'sku'] as const;

export function csvRows(kit: { id: string; name: string } & SheetKit): string[][] {
  return buildSheet(kit, 'size').flatMap((g) => garmentRows(kit, g).map(([, ...row]) => row));
}

/** One row per garment of a page: the order it was bought in ('' on a kit's sheet), then CSV_HEADER's columns. */
export const garmentRows = (kit: { id: string; name: string }, g: SheetGroup): string[][] => [
  ...g.garments.map((garment) => [garment.order ?? '', kit.id, kit.name, garment.team, garment.size, garment.number, garment.name, garment.sku]),
  ...g.unnamed.flatMap((u) => Array.from({ length: u.count }, () => [u.order ?? '', kit.id, kit.name, '', u.size, '', '', u.sku])),
];
