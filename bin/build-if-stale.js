'use strict';
// Compiles src/ into dist/ when dist is missing or older than any source file. Used by bin/kitbridge.js and by
// tests that run the built service.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');

function newest(dir) {
  let time = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    time = Math.max(time, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
  }
  return time;
}

function buildIfStale() {
  const marker = path.join(root, 'dist', 'src', 'server.js');
  const built = fs.existsSync(marker) ? fs.statSync(marker).mtimeMs : 0;
  if (built >= Math.max(newest(path.join(root, 'src')), newest(path.join(root, 'migrations')))) return;
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // tsc leaves unchanged outputs alone; touch the marker so the next check sees this build.
  const now = new Date();
  fs.utimesSync(marker, now, now);
}

module.exports = { buildIfStale, root };
