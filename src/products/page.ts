import type { KitRow, StoredLine, TeamRow } from '../kits/stored';
import { Html, html } from '../shared/html';

export interface KitPage {
  kit: KitRow;
  lines: StoredLine[];
  teams: TeamRow[];
  imageUrl: string | null;
  currency?: string;
}

/** The kit's page for a shop owner or customer. Kit Builder's HTML was sanitized when stored. */
export function renderKitPage({ kit, lines, teams, imageUrl, currency }: KitPage): string {
  const money = (amount: string) => (currency ? `${amount} ${currency}` : amount);
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${kit.name}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}
td.num{text-align:right}img.kit{max-width:100%;max-height:30rem}.warn{color:#8a5300}
</style>
</head>
<body>
<h1>${kit.name}</h1>
<p>${[kit.categoryName, kit.productName, kit.designName].filter(Boolean).join(' · ')}</p>
${imageUrl ? html`<img class="kit" src="${imageUrl}" alt="${kit.name}">` : ''}
<h2>Lines</h2>
<table>
<thead><tr><th>Size</th><th>SKU</th><th>Quantity</th><th>Unit price</th><th>Tax exempt</th></tr></thead>
<tbody>
${lines.map(
  (line) => html`<tr id="line-${line.id}"><td>${line.size || 'One size'}</td><td>${line.sku}</td><td class="num">${line.quantity}</td><td class="num">${money(line.unitPrice)}</td><td>${line.taxExempt ? 'yes' : 'no'}</td></tr>
`,
)}</tbody>
<tfoot><tr><th colspan="2">Total</th><th class="num">${kit.quantity}</th><th class="num">${money(kit.total)}</th><th></th></tr></tfoot>
</table>
${teams.length ? html`<h2>Teams</h2>${teams.map(renderTeam)}` : ''}
${kit.warnings.length ? html`<h2>Warnings</h2><ul class="warn">${kit.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : ''}
${kit.html ? html`<h2>Kit Builder details</h2><div class="kitbuilder">${new Html(kit.html)}</div>` : ''}
</body>
</html>
`;
  return page.value;
}

function renderTeam(team: TeamRow): Html {
  return html`<h3>${team.name || 'Team'}</h3>
<table>
<thead><tr><th>Name</th><th>Number</th><th>Size</th></tr></thead>
<tbody>
${team.units.map((unit) => html`<tr><td>${unit.name}</td><td>${unit.number}</td><td>${unit.size}</td></tr>
`)}</tbody>
</table>
`;
}
