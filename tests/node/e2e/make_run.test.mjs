// `make run`'s job, scripts/run: it starts the server, publishes the quickstart chat as `quickstart`, prints commands
// that work as printed, stops cleanly on Ctrl-C (SIGINT), and a second run on the same data directory updates the
// existing database and keeps its data. Runs with a clean HOME, a temporary data directory and a free port.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { makeTempDir, removeDir, spacetimeBinary, withPatience } from './harness.mjs';

const runScript = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'scripts', 'run');

let workDir;
let env;

before(() => {
  workDir = makeTempDir('make-run');
  const home = join(workDir, 'home');
  mkdirSync(home);
  env = { ...process.env, HOME: home, STDB_LISTEN: '127.0.0.1:0', STDB_DATA_DIR: join(workDir, 'data') };
  delete env.XDG_CONFIG_HOME;
  delete env.XDG_DATA_HOME;
});

after(() => removeDir(workDir));

// Starts scripts/run on the build under test; resolves once it printed its instructions, with the process, a
// function returning the output so far, and the exit promise.
async function startRun() {
  const buildDir = dirname(dirname(spacetimeBinary()));
  const child = spawn(runScript, [buildDir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const exited = new Promise((resolveExit) => child.on('exit', (code, signal) => resolveExit({ code, signal })));
  const ready = new Promise((resolveReady, reject) => {
    child.stdout.on('data', () => { if (output.includes('Press Ctrl-C to stop the server.')) resolveReady(); });
    exited.then((status) => reject(new Error(`scripts/run exited early (${JSON.stringify(status)}):\n${output}`)));
  });
  await withPatience(ready, 'scripts/run to print its instructions');
  return { child, output: () => output, exited };
}

// The printed line that starts with `prefix` (after indentation).
function printedLine(output, prefix) {
  const line = output.split('\n').map((l) => l.trim()).find((l) => l.startsWith(prefix));
  assert.ok(line, `scripts/run printed a line starting with ${prefix}:\n${output}`);
  return line;
}

// Runs a printed command line in bash, with PATH set by the printed `export PATH=...` line.
async function runPrinted(output, prefix) {
  const exportLine = printedLine(output, 'export PATH=');
  const command = printedLine(output, prefix);
  const { stdout } = await promisify(execFile)('bash', ['-c', `${exportLine} && ${command}`], { env });
  return stdout;
}

async function stopRun(run) {
  run.child.kill('SIGINT');
  const status = await withPatience(run.exited, 'scripts/run to exit after Ctrl-C');
  assert.deepEqual(status, { code: 0, signal: null }, `scripts/run exits 0 after Ctrl-C:\n${run.output()}`);
  assert.match(run.output(), /Stopped cleanly/);
}

test('scripts/run publishes quickstart, its printed commands work, Ctrl-C stops it, a second run updates', async () => {
  const first = await startRun();
  assert.match(first.output(), /Created new database with name: quickstart, identity: c200[0-9a-f]{60}/);
  const url = /listening on (http:\/\/[^\s]+)/.exec(first.output())[1];
  assert.ok(printedLine(first.output(), 'spacetime call').includes(`-s ${url} quickstart send_message '"hi"'`));

  await runPrinted(first.output(), 'spacetime call');  // send_message "hi"
  const rows = await runPrinted(first.output(), 'spacetime sql');
  assert.match(rows, /\| "hi"/);
  await stopRun(first);

  const second = await startRun();
  assert.match(second.output(), /Updated database with name: quickstart/);
  const rowsAgain = await runPrinted(second.output(), 'spacetime sql');
  assert.match(rowsAgain, /\| "hi"/, 'the data of the first run is still there');
  await stopRun(second);
});
