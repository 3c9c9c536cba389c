import type { KitDraft, LineDraft, TeamDraft, UnitDraft } from '../kits/draft';
import { plainText } from './text';

/**
 * The roster on the order. nopCommerce's order view, e-mails and invoice show a line's attribute description,
 * never the product's description (docs/nopcommerce/ORDERS-AND-ENGINES.md). So each kit product carries its
 * roster as values of one read-only checkbox attribute, all pre-selected: the catalog add-to-cart route puts
 * them into the cart item by itself, the shopper cannot change them, and nopCommerce copies them into
 * OrderItem.AttributeDescription as "Roster: <value>" lines.
 */

/** The one shared ProductAttribute that holds every kit's roster, found by this name. */
export const ROSTER_ATTRIBUTE = {
  Name: 'Roster',
  Description:
    'Names and numbers to print, written by kitbridge on each kit product. Do not delete or rename it: deleting removes the roster from every kit.',
};

/** AttributeControlType.ReadonlyCheckboxes */
export const READONLY_CHECKBOXES = 50;

/** ProductAttributeValueBuilder: Name AsString(400). */
const VALUE_MAX = 400;

const byNumber = new Intl.Collator('en', { numeric: true });

/** Units of one team in number order (numerically where numbers are numbers), unnumbered last, then as sent. */
function byTeamThenNumber(a: { team: TeamDraft; unit: UnitDraft }, b: { team: TeamDraft; unit: UnitDraft }): number {
  return (
    a.team.position - b.team.position ||
    Number(a.unit.number === '') - Number(b.unit.number === '') ||
    byNumber.compare(a.unit.number, b.unit.number) ||
    a.unit.position - b.unit.position
  );
}

const SEPARATOR = ' – ';

/** One unit as staff print it: team – #number – name, leaving out what the kit does not have. */
const unitText = (team: TeamDraft, unit: UnitDraft) =>
  [team.name.trim(), unit.number.trim() && `#${unit.number.trim()}`, unit.name.trim()].filter(Boolean).join(SEPARATOR);

export interface RosterEntry {
  team: string;
  number: string;
  name: string;
}

/**
 * A roster value read back into its parts, the inverse of `unitText`; null when it cannot be told apart. The
 * number is the part starting with "#". Without one, "team – name" is two parts, and one part is a team when
 * the kit has a team of that name, else a name; `teams` (the kit's team names) also keeps a team whose name
 * holds " – " together.
 */
export function readRosterValue(text: string, teams: ReadonlySet<string>): RosterEntry | null {
  const parts = text.split(SEPARATOR);
  const numbered = parts.findIndex((part) => part.startsWith('#'));
  if (numbered >= 0) {
    return { team: parts.slice(0, numbered).join(SEPARATOR), number: parts[numbered]!.slice(1), name: parts.slice(numbered + 1).join(SEPARATOR) };
  }
  for (let cut = parts.length; cut > 0; cut--) {
    const team = parts.slice(0, cut).join(SEPARATOR);
    if (teams.has(team)) return { team, number: '', name: parts.slice(cut).join(SEPARATOR) };
  }
  if (parts.length === 1) return { team: '', number: '', name: text };
  if (parts.length === 2) return { team: parts[0]!, number: '', name: parts[1]! };
  return null;
}

/**
 * The values of a line's roster attribute, in display order: first the kit reference (its id and page, so staff
 * can open the whole kit), then one value per unit of the line's size, ordered by team then number. Plain text
 * (nopCommerce encodes it when it formats the line), each within the 400 characters of the column.
 */
export function rosterValues(kit: KitDraft, line: LineDraft, ref: { kitId: string; kitUrl: string }): string[] {
  const units = kit.teams
    .flatMap((team) => team.units.filter((unit) => unit.linePosition === line.position).map((unit) => ({ team, unit })))
    .sort(byTeamThenNumber);
  return [`Kit ${ref.kitId}: ${ref.kitUrl}`, ...units.map(({ team, unit }) => unitText(team, unit))].map((text) =>
    plainText(text, VALUE_MAX),
  );
}
