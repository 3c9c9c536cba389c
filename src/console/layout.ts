import type { FieldProblem, Problem } from '../http/errors';
import type { KitRow } from '../kits/stored';
import { Html, html } from '../shared/html';
import { ICON_PATH, SCRIPT_PATH, STYLE } from './assets';

/** The console's page shell, navigation and the small pieces every page shows alike. */

export type Section = 'deliveries' | 'queue' | 'kits' | 'tokens' | 'health' | 'cleanup';

const NAV: Array<[Section, string, string]> = [
  ['deliveries', '/console/deliveries', 'Deliveries'],
  ['queue', '/console/queue', 'Print queue'],
  ['kits', '/console/kits', 'Kits'],
  ['tokens', '/console/tokens', 'Webhook URLs'],
  ['health', '/console/health', 'Health'],
  ['cleanup', '/console/cleanup', 'Clean-up'],
];

export interface PageOptions {
  title: string;
  /** the signed-in session's form token; absent on the sign-in page (no navigation) */
  csrfToken?: string;
  section?: Section;
  body: Html;
}

export function renderPage({ title, csrfToken, section, body }: PageOptions): string {
  const nav = csrfToken
    ? html`<header class="top"><a class="brand" href="/console/deliveries">kitbridge</a>
<nav>${NAV.map(([key, href, label]) => html` <a href="${href}"${key === section ? new Html(' aria-current="page"') : ''}>${label}</a>`)}</nav>
${postForm('/console/sign-out', csrfToken, html`<button type="submit">Sign out</button>`)}</header>`
    : html`<header class="top"><span class="brand">kitbridge</span></header>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title} · kitbridge</title>
<link rel="icon" href="${ICON_PATH}" type="image/svg+xml">
<style>${new Html(STYLE)}</style>
<script src="${SCRIPT_PATH}" defer></script>
</head>
<body>
${nav}
<main>
${body}
</main>
</body>
</html>
`.value;
}

/** A POST form carrying the session's form token; `fields` are hidden inputs. */
export function postForm(action: string, csrfToken: string, content: Html, fields: Record<string, string> = {}): Html {
  return html`<form method="post" action="${action}"><input type="hidden" name="_csrf" value="${csrfToken}">${Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}${content}</form>`;
}

/** A time as shop staff read it: UTC, to the second, with the exact instant for machines. */
export function when(date: Date | string): Html {
  const d = new Date(date);
  return html`<time datetime="${d.toISOString()}">${d.toISOString().slice(0, 19).replace('T', ' ')} UTC</time>`;
}

/** A delivery's outcome as a coloured badge; `text` in its place says more ("2 failed"). */
export const outcomeBadge = (outcome: string, text = outcome): Html => html`<span class="badge ${outcome}">${text}</span>`;

/** A problem answer in words: its title and detail, and each failing field. */
export function problemInWords(problem: Omit<Problem, 'requestId'>): Html {
  const detail = problem.detail && problem.detail !== problem.title ? html`: ${problem.detail}` : '';
  return html`<strong>${problem.title}</strong>${detail}${fieldList(problem.errors)}`;
}

/** Each failing field of a problem, as a list; nothing when there are none. */
export function fieldList(errors: readonly FieldProblem[] | undefined): Html {
  return errors?.length ? html`<ul class="fields">${errors.map((e) => html`<li><code>${e.path}</code>: ${e.message}</li>`)}</ul>` : html``;
}

/** A list of warnings, after a heading when one is given; nothing when there are none. */
export function warningList(warnings: readonly string[], heading?: string): Html {
  if (warnings.length === 0) return html``;
  return html`${heading ? html`<h2>${heading}</h2>` : ''}<ul class="warn">${warnings.map((w) => html`<li>${w}</li>`)}</ul>`;
}

/** What a kit is, in a line: its category, product and design, those it has. */
export const kitSubtitle = (kit: Pick<KitRow, 'categoryName' | 'productName' | 'designName'>): string =>
  [kit.categoryName, kit.productName, kit.designName].filter(Boolean).join(' · ');

/** "1 kit", "2 kits". */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export const money = (amount: string, currency?: string) => (currency ? `${amount} ${currency}` : amount);
