import type { KitRow, StoredLine, TeamRow } from '../kits/stored';
import type { OrderedRoster } from '../nopcommerce/order-roster';
import { readRosterValue } from '../nopcommerce/roster';
import { compareNumbers, garmentRows, group, CSV_HEADER, type Garment, type Grouping, type SheetGroup, type Unnamed } from './sheet';

/**
 * The print sheet of orders: what their lines bought, never the whole kits they were made from. Each order
 * line of a kit product gives its quantity of garments of its kit line's size, named as the roster it carries
 * says (OrderItem.AttributeDescription, which is what the shopper bought). Lines of several orders may come
 * together: a page holds one kit's size (or team) across all of them, each garment marked with its order.
 * Every garment an order line orders is on exactly one page, so the counts add up to the lines' quantities,
 * plus any roster entries beyond what a line orders, which are printed and pointed out.
 */

/** One order line of a kit product, with what the sheet needs of its kit. */
export interface OrderSheetLine {
  /** the order's number as the shop shows it */
  order: string;
  kit: KitRow;
  /** the kit's roster: its team names read the line's roster values, its units say what a line should carry */
  teams: TeamRow[];
  /** the kit's line (its size and SKU) the ordered product was made for */
  line: StoredLine;
  quantity: number;
  roster: OrderedRoster;
}

/** A page of an order's sheet: like a kit's, and of one kit. */
export interface OrderSheetGroup extends SheetGroup {
  kit: KitRow;
}

/** One order line read: its named garments, how many it orders without a name, and what the print room must know. */
interface ReadLine {
  source: OrderSheetLine;
  garments: Garment[];
  unnamed: Unnamed | null;
  warnings: string[];
}

function readLine(source: OrderSheetLine): ReadLine {
  const { order, kit, teams, line, quantity, roster } = source;
  const teamNames = new Set(teams.map((team) => team.name));
  const warnings: string[] = [];
  const garments = roster.values.map((value): Garment => {
    const entry = readRosterValue(value, teamNames);
    if (!entry) warnings.push(`Order ${order}: a roster entry could not be read as team – #number – name; it is printed as it stands: “${value}”.`);
    return { ...(entry ?? { team: '', number: '', name: value }), size: line.size, sku: line.sku, order };
  });
  if (garments.length > quantity) {
    warnings.push(`Order ${order}: the roster names ${garments.length} garments of this size but the line orders ${quantity}.`);
  }
  const kitNames = teams.reduce((sum, team) => sum + team.units.filter((unit) => unit.lineId === line.id).length, 0);
  if (garments.length === 0 && kitNames > 0) {
    warnings.push(`Order ${order}: the line carries no roster, though the kit names ${kitNames} garments of this size; they are printed without names.`);
  }
  if (roster.kitId !== null && roster.kitId !== kit.id) warnings.push(`Order ${order}: the line's roster is of kit ${roster.kitId}, not of this kit.`);
  if (roster.others.length > 0) warnings.push(`Order ${order}: the line also says: ${roster.others.join('; ')}`);
  const extra = quantity - garments.length;
  return { source, garments, unnamed: extra > 0 ? { size: line.size, sku: line.sku, count: extra, order } : null, warnings };
}

interface Page {
  kit: KitRow;
  teams: TeamRow[];
  title: string;
  /** where the page goes among its kit's pages */
  rank: number;
  garments: Garment[];
  unnamed: Unnamed[];
  warnings: Set<string>;
}

const REST = 'Without a roster entry';

export function buildOrderSheet(lines: OrderSheetLine[], by: Grouping): OrderSheetGroup[] {
  const kitOrder = new Map<string, number>();
  const pages = new Map<string, Page>();
  const pageOf = (source: OrderSheetLine, key: string, title: string, rank: number) => {
    if (!kitOrder.has(source.kit.id)) kitOrder.set(source.kit.id, kitOrder.size);
    const id = `${source.kit.id}\u0000${key}`;
    if (!pages.has(id)) pages.set(id, { kit: source.kit, teams: source.teams, title, rank, garments: [], unnamed: [], warnings: new Set() });
    return pages.get(id)!;
  };
  for (const read of lines.map(readLine)) {
    const { line, teams } = read.source;
    const touched = new Set<Page>();
    const sizePage = () => pageOf(read.source, `size ${line.id}`, line.size, line.position);
    for (const garment of read.garments) {
      const page = by === 'size' ? sizePage() : pageOf(read.source, `team ${garment.team}`, garment.team || 'Team', teamRank(teams, garment));
      page.garments.push(garment);
      touched.add(page);
    }
    if (read.unnamed) {
      const page = by === 'size' ? sizePage() : pageOf(read.source, 'rest', REST, Infinity);
      page.unnamed.push(read.unnamed);
      touched.add(page);
    }
    for (const page of touched) for (const warning of read.warnings) page.warnings.add(warning);
  }
  const sorted = [...pages.values()].sort((a, b) => kitOrder.get(a.kit.id)! - kitOrder.get(b.kit.id)! || a.rank - b.rank);
  return sorted.map((page) => {
    const onlyRest = page.title === REST && by === 'team' && !sorted.some((other) => other.kit.id === page.kit.id && other !== page);
    page.garments.sort(by === 'size' ? byTeam(page) : bySize(lines));
    return { kit: page.kit, ...group(onlyRest ? 'All garments' : page.title, page.garments, page.unnamed, [...page.warnings]) };
  });
}

/** Where a garment's team is in its kit's roster; teams the kit does not know come after its own. */
const teamRank = (teams: TeamRow[], garment: Garment) => {
  const position = teams.findIndex((team) => team.name === garment.team);
  return position < 0 ? teams.length : position;
};

/** On a size's page: by the kit's team order, then number, then order. */
const byTeam = (page: Page) => (a: Garment, b: Garment) =>
  teamRank(page.teams, a) - teamRank(page.teams, b) || compareNumbers(a, b) || (a.order ?? '').localeCompare(b.order ?? '');

/** On a team's page: by the kit's size order, then number. */
const bySize = (lines: OrderSheetLine[]) => {
  const position = new Map(lines.map(({ line }) => [line.size, line.position]));
  return (a: Garment, b: Garment) => position.get(a.size)! - position.get(b.size)! || compareNumbers(a, b);
};

/** The CSV of orders: CSV_HEADER's columns after the order's number, one row per garment, size by size. */
export const ORDER_CSV_HEADER = ['order', ...CSV_HEADER] as const;

export const orderCsvRows = (lines: OrderSheetLine[]): string[][] =>
  buildOrderSheet(lines, 'size').flatMap((page) => garmentRows(page.kit, page));
