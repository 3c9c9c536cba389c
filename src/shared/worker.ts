import path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Under ts-jest the sources are .ts files that only jest's own process knows how to load. A worker thread
 * running one of them first teaches its require to compile .ts files, with TypeScript's transpileModule (a
 * devDependency, present wherever the tests run). `npm start` runs the compiled .js and never gets here.
 */
const LOAD_TYPESCRIPT = `
const { readFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { workerData } = require('node:worker_threads');
const load = createRequire(workerData.entry);
const ts = load('typescript');
const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true };
load.extensions['.ts'] = (module, fileName) =>
  module._compile(ts.transpileModule(readFileSync(fileName, 'utf8'), { fileName, compilerOptions }).outputText, fileName);
load(workerData.entry);
`;

/** A worker thread running `entry`, a module's absolute path, .js (built) or .ts (the sources, in tests). */
export function startWorker(entry: string): Worker {
  return path.extname(entry) === '.ts' ? new Worker(LOAD_TYPESCRIPT, { eval: true, workerData: { entry } }) : new Worker(entry);
}
