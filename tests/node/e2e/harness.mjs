// Test harness of the end-to-end tests with the official TypeScript SDK: it runs a real `spacetime start` server
// in a temporary directory, drives the real `spacetime` CLI against it (publish, generate), turns the generated
// TypeScript bindings into an importable module with esbuild, and records every WebSocket the SDK opens.
//
// Environment (set by CTest, tests/CMakeLists.txt):
//   SPACETIME         the CLI executable (build/bin/spacetime)
//   STDB_MODULES_DIR  where the example modules were built (<build>/modules/<name>.wasm)
//   STDB_TEST_TMP     optional: where temporary directories go (default: the OS temp dir)
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { WebSocket as UndiciWebSocket } from 'undici';

const nodeModules = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules');
const require = createRequire(join(nodeModules, 'noop.js'));

// How long one server start, CLI command or awaited SDK event may take before the test fails instead of
// hanging. Generous on purpose: the machines running the suite are slow and shared; nothing asserts speed.
export const PATIENCE_MS = 60_000;

function requiredEnv(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run these tests through ctest (tests/CMakeLists.txt)`);
  return value;
}

export const spacetimeBinary = () => requiredEnv('SPACETIME');
export const modulePath = (name) => {
  const path = join(requiredEnv('STDB_MODULES_DIR'), `${name}.wasm`);
  if (!existsSync(path)) throw new Error(`module ${path} is missing; build the target wasm_${name}`);
  return path;
};

// A fresh directory under STDB_TEST_TMP, removed by the returned cleanup function.
export function makeTempDir(prefix) {
  const base = process.env.STDB_TEST_TMP || tmpdir();
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, `${prefix}-`));
}

// Rejects with `what` in the message if `promise` has not settled within PATIENCE_MS.
export function withPatience(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up waiting for ${what} after ${PATIENCE_MS} ms`)), PATIENCE_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// A real server: `spacetime start` on an OS-chosen port, with its own data directory, key directory and HOME.
// `stop()` sends SIGTERM and resolves with the exit code; `start()` again reopens the same data directory.
export class Server {
  constructor(root) {
    this.root = root;
    this.dataDir = join(root, 'data');
    this.keyDir = join(root, 'keys');
    this.home = join(root, 'home');
    mkdirSync(this.home, { recursive: true });
    this.process = null;
    this.url = null;
    this.output = '';
  }

  // Environment of every process started for this server: a private HOME so no user configuration is read or
  // written.
  env() {
    const env = { ...process.env, HOME: this.home };
    delete env.XDG_CONFIG_HOME;
    delete env.XDG_DATA_HOME;
    return env;
  }

  // Starts the server and resolves once it printed the address it listens on. With `listenAddr` it binds that
  // address (a restart on the same port), else an OS-chosen port.
  async start({ listenAddr = '127.0.0.1:0' } = {}) {
    const child = spawn(spacetimeBinary(),
      ['start', '--listen-addr', listenAddr, '--data-dir', this.dataDir, '--jwt-key-dir', this.keyDir],
      { env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] });
    this.process = child;
    this.exited = new Promise((resolveExit) => child.on('exit', (code, signal) => resolveExit({ code, signal })));
    const listening = new Promise((resolveUrl, reject) => {
      let stdout = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        this.output += chunk;
        const match = /listening on (http:\/\/[^\s]+)/.exec(stdout);
        if (match) resolveUrl(match[1]);
      });
      child.stderr.on('data', (chunk) => { this.output += chunk; });
      this.exited.then(({ code, signal }) =>
        reject(new Error(`spacetime start exited (code ${code}, signal ${signal}) before listening:\n${this.output}`)));
    });
    this.url = await withPatience(listening, 'spacetime start to print its address');
    this.wsUrl = this.url.replace(/^http/, 'ws');
    this.listenAddr = new URL(this.url).host;
    return this.url;
  }

  // SIGTERM, then the exit status. A clean shutdown exits with code 0.
  async stop() {
    if (!this.process) return { code: 0, signal: null };
    const child = this.process;
    this.process = null;
    child.kill('SIGTERM');
    return withPatience(this.exited, 'the server to exit after SIGTERM');
  }

  // Runs the CLI against this server; resolves with { stdout, stderr } or rejects with both in the message.
  async cli(...args) {
    const [command, ...rest] = args;
    const withServer = ['start', 'generate', 'build', 'init', 'version'].includes(command)
      ? args : [command, '-s', this.url, ...rest];
    try {
      return await promisify(execFile)(spacetimeBinary(), withServer,
        { env: this.env(), timeout: PATIENCE_MS, maxBuffer: 64 << 20 });
    } catch (error) {
      throw new Error(`spacetime ${withServer.join(' ')} failed: ${error.message}\n${error.stdout}\n${error.stderr}`);
    }
  }

  // Publishes the example module `moduleName` as database `databaseName` (created or updated).
  publish(moduleName, databaseName) {
    return this.cli('publish', '-b', modulePath(moduleName), databaseName, '-y');
  }
}

// Generates TypeScript bindings for the example module with `spacetime generate`, bundles them together with the
// SDK (one copy of `spacetimedb`, so the SDK's classes are shared with the test) and imports the bundle. The
// returned module has the bindings' exports (DbConnection, tables, reducers, ...) plus `sdk`, the SDK itself.
export async function loadBindings(server, moduleName, workDir) {
  const bindingsDir = join(workDir, `${moduleName}-bindings`);
  await server.cli('generate', '--lang', 'typescript', '-b', modulePath(moduleName), '-o', bindingsDir);
  const entry = join(workDir, `${moduleName}-entry.ts`);
  writeFileSync(entry, [
    `export * from ${JSON.stringify(join(bindingsDir, 'index'))};`,
    `export * as sdk from 'spacetimedb';`,
  ].join('\n'));
  const outfile = join(workDir, `${moduleName}-bindings.mjs`);
  const { build } = require('esbuild');
  await build({
    entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile,
    nodePaths: [nodeModules], logLevel: 'error',
  });
  return import(pathToFileURL(outfile).href);
}

// The WebSocket class the SDK uses. On Node 20 the SDK falls back to undici's WebSocket when there is no global
// one; installing this subclass as the global keeps undici underneath and lets a test (1) replace the
// subprotocols the SDK offers (`offer`, e.g. only v2) and (2) see what happened on every socket: the URL, what
// was offered, what the server chose, the compression byte and size of every server message, and the close code.
export function installRecordingWebSocket({ offer } = {}) {
  const sockets = [];
  class RecordingWebSocket extends UndiciWebSocket {
    constructor(url, protocols) {
      const offered = offer ? [...offer] : [].concat(protocols ?? []);
      super(url, offered);
      const record = { url: new URL(String(url)), offered, frames: [], socket: this };
      sockets.push(record);
      this.addEventListener('message', (event) => {
        const bytes = new Uint8Array(event.data);
        record.frames.push({ compression: bytes[0], size: bytes.length });
      });
      this.addEventListener('close', (event) => { record.close = { code: event.code, reason: event.reason }; });
    }
  }
  globalThis.WebSocket = RecordingWebSocket;
  return sockets;
}

// Records named events and lets a test wait for one that matches, whether it already happened or is still to
// come. Used for SDK callbacks, which fire asynchronously.
export class EventLog {
  constructor() {
    this.events = [];
    this.waiters = [];
  }

  record(name, value) {
    const event = { name, value };
    this.events.push(event);
    this.waiters = this.waiters.filter((waiter) => {
      if (waiter.name !== name || !waiter.match(value)) return true;
      waiter.resolve(value);
      return false;
    });
  }

  all(name) {
    return this.events.filter((e) => e.name === name).map((e) => e.value);
  }

  // The first recorded `name` event whose value satisfies `match`, now or later.
  next(name, match = () => true) {
    const found = this.events.find((e) => e.name === name && match(e.value));
    if (found) return Promise.resolve(found.value);
    return withPatience(new Promise((resolveEvent) => this.waiters.push({ name, match, resolve: resolveEvent })),
      `SDK event ${name}`);
  }
}

// Connects one client with the bindings' DbConnection builder. Resolves once the SDK reports onConnect, with
// { conn, identity, token, socket (the RecordingWebSocket record), events (EventLog with 'disconnect') }.
// Rejects on onConnectError.
export async function connect(bindings, sockets, { uri, database, token, compression, configure }) {
  const events = new EventLog();
  const socketsBefore = sockets.length;
  const connected = new Promise((resolveConnect, reject) => {
    let builder = bindings.DbConnection.builder()
      .withUri(uri)
      .withDatabaseName(database)
      .onConnect((conn, identity, newToken) => resolveConnect({ conn, identity, token: newToken }))
      .onConnectError((_ctx, error) => reject(error))
      .onDisconnect((_ctx, error) => events.record('disconnect', error ?? null));
    if (token) builder = builder.withToken(token);
    if (compression) builder = builder.withCompression(compression);
    if (configure) builder = configure(builder);
    builder.build();
  });
  const client = await withPatience(connected, `client of ${database} to connect`);
  if (sockets.length !== socketsBefore + 1) {
    throw new Error(`expected the SDK to open exactly one WebSocket, it opened ${sockets.length - socketsBefore}`);
  }
  return { ...client, socket: sockets[socketsBefore], events };
}

// Subscribes `conn` to `queries`; resolves once onApplied fired, rejects on the subscription's onError.
// Returns the subscription handle.
export function subscribe(conn, queries) {
  return withPatience(new Promise((resolveApplied, reject) => {
    const handle = conn.subscriptionBuilder()
      .onApplied(() => resolveApplied(handle))
      .onError((_ctx, error) => reject(error ?? new Error('subscription failed')))
      .subscribe(queries);
  }), `subscription to ${queries}`);
}

// Removes a temporary directory (used in `after` hooks).
export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}
