import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// The Dockerfile checked against the project it packages, where no container engine runs (see
// docs/guides/going-live.md, "Docker", for what was built and run with podman and what was not).
const ROOT = path.join(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const dockerfile = read('deploy/docker/Dockerfile');
const [build, run] = dockerfile.split(/^FROM .*$/m).slice(1) as [string, string];
const copied = (stage: string) => [...stage.matchAll(/^COPY (?:--from=\S+ )?(.+) \S+$/gm)].flatMap((m) => m[1]!.split(' ').map((f) => f.replace('/app/', '')));
const packageJson = JSON.parse(read('package.json'));

it('builds with the npm scripts: npm ci runs "prepare", whose script and every source it builds from are copied first', () => {
  expect(packageJson.scripts.prepare).toBe('node bin/build-if-stale.js');
  expect(build).toMatch(/^RUN npm ci .*&& npm prune --omit=dev/m);
  const sources = /const SOURCES = \[(.*)\];/.exec(read('bin/build-if-stale.js'))![1]!.match(/'[^']+'/g)!.map((s) => s.slice(1, -1));
  expect(copied(build)).toEqual(expect.arrayContaining(['package.json', 'bin', ...sources]));
  expect(build.indexOf('RUN npm ci')).toBeGreaterThan(build.lastIndexOf('COPY'));
});

it('copies into the build every file outside the sources that the compiled code imports', () => {
  const benchFiles = readdirSync(path.join(ROOT, 'bench')).filter((name) => name.endsWith('.ts')).map((name) => read(`bench/${name}`)).join('\n');
  const imported = [...benchFiles.matchAll(/from '\.\.\/((?:docs|test)\/[^']+)'/g)].map((m) => m[1]!);
  expect(imported.length).toBeGreaterThan(0);
  const inBuild = copied(build);
  for (const file of imported) expect(inBuild.some((entry) => file.startsWith(entry.replace(/\/$/, '')) || `${file}.ts`.endsWith(entry))).toBe(true);
});

it('runs what npm start runs, with the files the service reads at run time', () => {
  expect(read('bin/start.js')).toContain("'dist', 'src', 'server.js'");
  expect(run).toMatch(/^CMD \["node", "dist\/src\/server\.js"\]$/m);
  const runtimeFiles = [...read('src/snippets/snippets.ts').matchAll(/projectFile\(`([^/`]+)\//g), ...read('src/webhook/sample.ts').matchAll(/SAMPLE_PATH = '([^']+)\/[^/']+'/g)].map((m) => m[1]);
  expect(runtimeFiles).toEqual(['theme-snippets', 'docs/kitbuilder']);
  expect(copied(run)).toEqual(expect.arrayContaining(['node_modules', 'dist', 'bin', ...runtimeFiles]));
});

it('runs as a non-root user with DATA_DIR on a volume, checks /readyz with node itself, and stops on SIGTERM', () => {
  expect(run).toMatch(/^USER node$/m);
  const dataDir = /DATA_DIR=(\S+)/.exec(run)![1];
  expect(run).toMatch(new RegExp(`^VOLUME ${dataDir}$`, 'm'));
  expect(run).toMatch(/^HEALTHCHECK [\s\S]*CMD \["node", "-e", ".*\/readyz/m);
  expect(run).toMatch(/^STOPSIGNAL SIGTERM$/m);
});

it('keeps secrets, data and local builds out of the image', () => {
  const ignored = read('.dockerignore').split('\n').filter((line) => line && !line.startsWith('#'));
  expect(ignored).toEqual(expect.arrayContaining(['.env', 'data', 'node_modules', 'dist', '.git']));
});

it('gives compose a longer stop than the 10 s kitbridge gives in-flight requests', () => {
  expect(read('deploy/docker/compose.yaml')).toMatch(/^ {4}stop_grace_period: 30s$/m);
});
