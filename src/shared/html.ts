import { escapeHtml } from './escape';

/** Tagged template that escapes every interpolated value unless it is already rendered `Html`. */
export class Html {
  constructor(readonly value: string) {}
}
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  const render = (v: unknown): string =>
    v instanceof Html ? v.value : Array.isArray(v) ? v.map(render).join('') : escapeHtml(String(v ?? ''));
  return new Html(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ''), ''));
}
