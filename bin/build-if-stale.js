'use strict';
// Compiles src/ into dist/ when dist is missing or older than anything it is built from. Used by `npm install`
// (prepare), `npm start`, bin/kitbridge.js and tests that run the built service: a stale build is never run.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const projectRoot = path.join(__dirname, '..');
const SOURCES = ['src', 'migrations', 'bench', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

function newest(entry) {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(entry).reduce((time, name) => Math.max(time, newest(path.join(entry, name))), stat.mtimeMs);
}

/** Builds `root` (default: this project) if needed; true when it built. */
function buildIfStale(root = projectRoot) {
  const marker = path.join(root, 'dist', 'src', 'server.js');
  const built = fs.existsSync(marker) ? fs.statSync(marker).mtimeMs : 0;
  const sources = SOURCES.map((name) => path.join(root, name)).filter((entry) => fs.existsSync(entry));
  if (built >= Math.max(...sources.map(newest))) return false;
  process.stderr.write(built ? 'kitbridge: sources changed since the last build; building…\n' : 'kitbridge: building…\n');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // tsc leaves unchanged outputs alone; touch the marker so the next check sees this build.
  const now = new Date();
  fs.utimesSync(marker, now, now);
  return true;
}

module.exports = { buildIfStale, root: projectRoot };

if (require.main === module) buildIfStale();
