import type { LineDraft, TeamDraft } from '../kits/draft';
import type { Money } from './lines';
import type { TeamInput, UnitInput } from './schema';

/** The teams with their units in order, each unit linked to the line of its size (the first, if listed twice). */
export function rosterOf(teams: TeamInput[], lines: LineDraft[], money: Money, warnings: string[]): TeamDraft[] {
  const lineBySize = new Map<string, LineDraft>();
  for (const line of lines) if (!lineBySize.has(line.size)) lineBySize.set(line.size, line);
  return teams.map((team, teamIndex) => ({
    position: teamIndex,
    name: team.Name,
    units: team.Units.map((unit, unitIndex) => {
      const line = lineBySize.get(unit.Size);
      if (!line) {
        warnings.push(`${describeUnit(unit, team.Name)} has size "${unit.Size}", which no line has; it is not linked to a line.`);
      }
      return {
        position: unitIndex,
        name: unit.Name,
        number: unit.Number,
        size: unit.Size,
        sku: unit.Sku,
        cartPrice: unit.CartPrice === null ? null : money(unit.CartPrice, `CartPrice of ${describeUnit(unit, team.Name)}`),
        taxExempt: unit.TaxExempt,
        linePosition: line ? line.position : null,
      };
    }),
  }));
}

function describeUnit(unit: UnitInput, teamName: string): string {
  const who = [unit.Name, unit.Number && `#${unit.Number}`].filter(Boolean).join(' ') || 'A unit';
  return `${who} of team "${teamName}"`;
}
