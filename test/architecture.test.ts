import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The layering of docs/ARCHITECTURE.md, checked from the imports themselves: a module may import only from its
 * own folder or from folders ranked below its own. Two folders of one rank may not import each other.
 */
const RANK: Record<string, number> = {
  server: 12,
  cli: 11,
  config: 10,
  app: 9,
  admin: 8,
  console: 8,
  products: 8,
  snippets: 8,
  health: 8,
  announcements: 7.5,
  webhook: 7,
  housekeeping: 6,
  'print-queue': 6,
  nopcommerce: 5,
  kits: 4,
  'webhook-tokens': 4,
  deliveries: 3,
  images: 2,
  db: 2,
  migrations: 1,
  http: 0,
  shared: -1,
};

const root = path.join(__dirname, '..');
const src = path.join(root, 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sources(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The room a file (or an import's target, without extension) is in: its top folder under src/, or the file itself. */
function roomOf(file: string): string {
  if (path.relative(root, file).split(path.sep)[0] === 'migrations') return 'migrations';
  return path.relative(src, file).split(path.sep)[0]!.replace(/\.ts$/, '');
}

const imports = sources(src).flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.{1,2}\/[^']+)'/gms)].map((match) => ({
    file: path.relative(root, file),
    from: roomOf(file),
    to: roomOf(path.resolve(path.dirname(file), match[1]!)),
  })),
);

it('ranks every folder of src/', () => {
  const rooms = new Set(sources(src).map(roomOf));
  expect([...rooms].filter((room) => !(room in RANK))).toEqual([]);
});

it('has no import that runs up the layers or sideways between folders', () => {
  const wrong = imports
    .filter(({ from, to }) => from !== to && !(RANK[to]! < RANK[from]!))
    .map(({ file, to }) => `${file} imports ${to}`);
  expect(wrong).toEqual([]);
  expect(imports.length).toBeGreaterThan(100);
});
