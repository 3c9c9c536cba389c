#!/usr/bin/env node
// `npx kitbridge <command>`: the operator CLI (src/cli/main.ts), compiled on first use and after source changes.
'use strict';
const path = require('node:path');
const { buildIfStale, root } = require('./build-if-stale');

buildIfStale();
require(path.join(root, 'dist', 'src', 'cli', 'main.js'))
  .run(process.argv.slice(2), {
    env: process.env,
    dotEnvFile: path.resolve('.env'),
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  })
  .then((code) => {
    process.exitCode = code;
  });
