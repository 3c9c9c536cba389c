#!/usr/bin/env node
// `npm start`: the service from its build (made at install), rebuilt first only if a source is newer.
'use strict';
const path = require('node:path');
const { buildIfStale, root } = require('./build-if-stale');

buildIfStale();
require(path.join(root, 'dist', 'src', 'server.js'));
