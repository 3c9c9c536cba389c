import { readFileSync } from 'node:fs';
import { projectFile } from '../shared/project-file';

/** What a shop owner may have configured; each given value replaces the snippet's placeholder or default. */
export interface SnippetValues {
  distributorId?: string;
  distributorKey?: string;
  currencySymbol?: string;
}

export const SNIPPETS = {
  'head.html': 'In Themes/<your theme>/Views/Shared/_Root.Head.cshtml, just before </head>',
  'kit-builder.html': 'Where Kit Builder should appear, e.g. Themes/<your theme>/Views/Home/Index.cshtml',
} as const;
export type SnippetName = keyof typeof SNIPPETS;

export const isSnippetName = (name: string): name is SnippetName => Object.hasOwn(SNIPPETS, name);

// A JS string literal that cannot end the <script> element it sits in.
const jsString = (value: string) => JSON.stringify(value).replace(/</g, '\\u003c');

/** The snippet as shipped in theme-snippets/, with the configured values filled in. */
export function renderSnippet(name: SnippetName, values: SnippetValues): string {
  let text = readFileSync(projectFile(`theme-snippets/${name}`), 'utf8');
  if (values.currencySymbol !== undefined) {
    text = text.replace(/^(\s*currencySymbol: )"[^"\n]*"/m, (_, key: string) => key + jsString(values.currencySymbol!));
  }
  if (values.distributorId !== undefined) {
    text = text.replace('distributorId=DISTRIBUTOR_ID', `distributorId=${encodeURIComponent(values.distributorId)}`);
  }
  if (values.distributorKey !== undefined) {
    text = text.replace('key=DISTRIBUTOR_KEY', `key=${encodeURIComponent(values.distributorKey)}`);
  }
  return text;
}
