// Loads generated TypeScript bindings with the official SDK and prints what the SDK sees in them: for every table
// its accessor and wire name, for every reducer its accessor and wire name, as one JSON object.
//   node bindings_summary.mjs <bindings dir> <node_modules dir>
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const [bindingsDir, nodeModules] = process.argv.slice(2);
const { build } = createRequire(join(resolve(nodeModules), 'noop.js'))('esbuild');
const work = mkdtempSync(join(tmpdir(), 'bindings-summary-'));
const entry = join(work, 'entry.ts');
writeFileSync(entry, `
import { DbConnection, tables, reducers } from ${JSON.stringify(resolve(bindingsDir, 'index'))};
const summary = { tables: {}, reducers: {} };
for (const [key, table] of Object.entries(tables)) summary.tables[key] = table.sourceName;
for (const [key, reducer] of Object.entries(reducers)) summary.reducers[key] = reducer.name;
if (typeof DbConnection.builder !== 'function') throw new Error('DbConnection.builder is missing');
DbConnection.builder().withUri('ws://127.0.0.1:1').withDatabaseName('check');
console.log(JSON.stringify(summary));
`);
await build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: join(work, 'entry.mjs'),
  nodePaths: [resolve(nodeModules)],
  logLevel: 'error',
});
await import(join(work, 'entry.mjs'));
