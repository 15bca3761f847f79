// The quickstart-chat end-to-end suite with the official TypeScript SDK (spacetimedb@2.10.1), run once per
// WebSocket subprotocol by chat_v3.test.mjs and chat_v2.test.mjs. One real server per run; the module is
// examples/quickstart-chat (tables user{identity pk, name?, online} and message{sender, sent, text}; reducers
// set_name, send_message, and the connect/disconnect lifecycle that maintains user.online), the client code is
// the bindings `spacetime generate --lang typescript` produced for it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  EventLog, Server, connect, installRecordingWebSocket, loadBindings, makeTempDir, removeDir, subscribe,
} from './harness.mjs';

export const V3 = 'v3.bsatn.spacetimedb';
export const V2 = 'v2.bsatn.spacetimedb';
const SDK_OFFER = [V3, V2];

const DATABASE = 'quickstart-chat';
const GZIP_TAG = 2;
const NONE_TAG = 0;

// Decodes the claims of a JWT without checking its signature (the server checks it; we only read it).
function jwtClaims(token) {
  const parts = token.split('.');
  assert.equal(parts.length, 3, `a JWT has three parts: ${token}`);
  return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
}

// Registers the table callbacks of `conn` for `tables` into one EventLog: '<table>.insert' / '.delete' with
// { row, ctx }, '<table>.update' with { oldRow, newRow, ctx }.
function watchTables(conn, tables) {
  const log = new EventLog();
  for (const table of tables) {
    const handle = conn.db[table];
    handle.onInsert((ctx, row) => log.record(`${table}.insert`, { row, ctx }));
    handle.onDelete((ctx, row) => log.record(`${table}.delete`, { row, ctx }));
    if (handle.onUpdate) handle.onUpdate((ctx, oldRow, newRow) => log.record(`${table}.update`, { oldRow, newRow, ctx }));
  }
  return log;
}

async function disconnectAndWait(client) {
  client.conn.disconnect();
  await client.events.next('disconnect');
}

// protocol: the subprotocol the server must choose; offer: what the client offers (default: the SDK's own list).
export function chatSuite({ protocol, offer }) {
  describe(`quickstart-chat with the TypeScript SDK over ${protocol}`, () => {
    let workDir;
    let server;
    let bindings;
    let sockets;
    const clients = [];
    const connectClient = async (options = {}) => {
      const client = await connect(bindings, sockets, { uri: server.wsUrl, database: DATABASE, ...options });
      clients.push(client);
      return client;
    };
    const isSame = (a, b) => a.toHexString() === b.toHexString();

    before(async () => {
      sockets = installRecordingWebSocket({ offer });
      workDir = makeTempDir(`chat-${protocol.split('.')[0]}`);
      server = new Server(workDir);
      await server.start();
      await server.publish('quickstart-chat', DATABASE);
      bindings = await loadBindings(server, 'quickstart-chat', workDir);
    });

    after(async () => {
      for (const client of clients) if (client.conn.isActive) client.conn.disconnect();
      if (server) {
        const { code } = await server.stop();
        assert.equal(code, 0, `the server exits cleanly on SIGTERM:\n${server.output}`);
      }
      removeDir(workDir);
    });

    test('connect: onConnect gives a c200 identity and a token for it, over the expected subprotocol', async () => {
      const client = await connectClient();
      assert.match(client.identity.toHexString(), /^c200[0-9a-f]{60}$/);
      assert.equal(jwtClaims(client.token).hex_identity, client.identity.toHexString());
      assert.deepEqual(client.socket.offered, offer ?? SDK_OFFER);
      assert.equal(client.socket.socket.protocol, protocol);
      assert.equal(client.conn.isActive, true);
      await disconnectAndWait(client);
    });

    test('subscribe: onApplied fires and the initial rows arrive through onInsert', async () => {
      const client = await connectClient();
      const log = watchTables(client.conn, ['user']);
      await subscribe(client.conn, ['SELECT * FROM user']);
      // client_connected ran before we subscribed, so our own row is in the initial rows.
      const own = client.conn.db.user.identity.find(client.identity);
      assert.ok(own, 'our user row is in the client cache after onApplied');
      assert.equal(own.online, true);
      const inserted = await log.next('user.insert', ({ row }) => isSame(row.identity, client.identity));
      assert.equal(inserted.ctx.event.tag, 'SubscribeApplied');
      await disconnectAndWait(client);
    });

    test('reducer Ok: sendMessage resolves and onInsert fires with the reducer event', async () => {
      const client = await connectClient();
      const log = watchTables(client.conn, ['message']);
      await subscribe(client.conn, ['SELECT * FROM message']);
      const text = `hello over ${protocol}`;
      await client.conn.reducers.sendMessage({ text });
      const { row, ctx } = await log.next('message.insert', ({ row: r }) => r.text === text);
      assert.ok(isSame(row.sender, client.identity), 'the sender is the caller');
      assert.ok(row.sent instanceof bindings.sdk.Timestamp);
      assert.equal(ctx.event.tag, 'Reducer');
      assert.equal(ctx.event.value.reducer.name, 'send_message');
      assert.deepEqual(ctx.event.value.reducer.args, { text });
      assert.equal(ctx.event.value.outcome.tag, 'Ok');
      await disconnectAndWait(client);
    });

    test('onUpdate: setName changes the caller\'s user row', async () => {
      const client = await connectClient();
      const log = watchTables(client.conn, ['user']);
      await subscribe(client.conn, ['SELECT * FROM user']);
      const name = `alice-${protocol}`;
      await client.conn.reducers.setName({ name });
      const { oldRow, newRow, ctx } = await log.next('user.update', (u) => isSame(u.newRow.identity, client.identity));
      assert.equal(oldRow.name, undefined);
      assert.equal(newRow.name, name);
      assert.equal(newRow.online, true);
      assert.equal(ctx.event.tag, 'Reducer');
      assert.equal(ctx.event.value.reducer.name, 'set_name');
      assert.equal(client.conn.db.user.identity.find(client.identity).name, name);
      // An update is reported as an update, not as a delete plus an insert.
      assert.equal(log.all('user.delete').length, 0);
      await disconnectAndWait(client);
    });

    test('reducer Err: the promise rejects with the module\'s error text and nothing changes', async () => {
      const client = await connectClient();
      const log = watchTables(client.conn, ['user', 'message']);
      await subscribe(client.conn, ['SELECT * FROM user', 'SELECT * FROM message']);
      await assert.rejects(client.conn.reducers.setName({ name: '' }),
        (error) => error instanceof bindings.sdk.SenderError && error.message === 'Names must not be empty');
      await assert.rejects(client.conn.reducers.sendMessage({ text: '' }),
        (error) => error instanceof bindings.sdk.SenderError && error.message === 'Messages must not be empty');
      // Calls on one connection are answered in order: once this one is answered, so were the failed ones.
      const marker = `after the errors over ${protocol}`;
      await client.conn.reducers.sendMessage({ text: marker });
      await log.next('message.insert', ({ row }) => row.text === marker);
      assert.deepEqual(log.all('message.insert').filter(({ row }) => row.text === ''), []);
      assert.deepEqual(log.all('user.update').filter(({ newRow }) => isSame(newRow.identity, client.identity)), []);
      assert.equal(client.conn.db.user.identity.find(client.identity).name, undefined);
      assert.equal(client.conn.isActive, true, 'a failed reducer leaves the connection open');
      await disconnectAndWait(client);
    });

    test('onDelete: a row that leaves a filtered subscription, and the rows of an unsubscribed query', async () => {
      const watcher = await connectClient();
      const log = watchTables(watcher.conn, ['user']);
      const handle = await subscribe(watcher.conn, ['SELECT * FROM user WHERE online = true']);

      const other = await connectClient();
      const joined = await log.next('user.insert', ({ row }) => isSame(row.identity, other.identity));
      assert.equal(joined.ctx.event.tag, 'Transaction');
      assert.equal(joined.row.online, true);

      // The other client goes offline: client_disconnected sets online = false, so its row leaves the query.
      await disconnectAndWait(other);
      const left = await log.next('user.delete', ({ row }) => isSame(row.identity, other.identity));
      assert.equal(left.ctx.event.tag, 'Transaction');
      assert.equal(left.row.online, true, 'onDelete gets the row as the client last saw it');
      assert.equal(watcher.conn.db.user.identity.find(other.identity), null, 'the row left the client cache');

      // Unsubscribing removes the query's rows from the cache, each through onDelete.
      const ended = new Promise((resolveEnd) => handle.unsubscribeThen(resolveEnd));
      await ended;
      const dropped = await log.next('user.delete', ({ row }) => isSame(row.identity, watcher.identity));
      assert.equal(dropped.ctx.event.tag, 'UnsubscribeApplied');
      assert.equal(watcher.conn.db.user.count(), 0n);
      await disconnectAndWait(watcher);
    });

    test('two clients see each other\'s messages', async () => {
      const alice = await connectClient();
      const bob = await connectClient();
      const aliceLog = watchTables(alice.conn, ['message']);
      const bobLog = watchTables(bob.conn, ['message']);
      await subscribe(alice.conn, ['SELECT * FROM message']);
      await subscribe(bob.conn, ['SELECT * FROM message']);

      const fromAlice = `from alice over ${protocol}`;
      const fromBob = `from bob over ${protocol}`;
      await alice.conn.reducers.sendMessage({ text: fromAlice });
      await bob.conn.reducers.sendMessage({ text: fromBob });

      const bobSees = await bobLog.next('message.insert', ({ row }) => row.text === fromAlice);
      assert.ok(isSame(bobSees.row.sender, alice.identity));
      assert.equal(bobSees.ctx.event.tag, 'Transaction', 'another client\'s reducer arrives as a transaction');
      const aliceSees = await aliceLog.next('message.insert', ({ row }) => row.text === fromBob);
      assert.ok(isSame(aliceSees.row.sender, bob.identity));
      assert.equal(aliceSees.ctx.event.tag, 'Transaction');
      await disconnectAndWait(alice);
      await disconnectAndWait(bob);
    });

    test('reconnecting with the saved token gives the same identity', async () => {
      const first = await connectClient();
      const name = `carol-${protocol}`;
      await first.conn.reducers.setName({ name });
      await disconnectAndWait(first);

      const again = await connectClient({ token: first.token });
      assert.ok(isSame(again.identity, first.identity), 'same identity with the saved token');
      assert.equal(again.token, first.token, 'the SDK keeps the token it connected with');
      // The SDK trades the saved token for a short-lived one (POST /v1/identity/websocket-token) for the URL.
      const urlToken = again.socket.url.searchParams.get('token');
      assert.ok(urlToken && urlToken !== first.token, 'the WebSocket URL carries the short-lived token');
      assert.equal(jwtClaims(urlToken).sub, jwtClaims(first.token).sub);

      await subscribe(again.conn, ['SELECT * FROM user']);
      const own = again.conn.db.user.identity.find(again.identity);
      assert.equal(own.name, name, 'the row written under that identity before');
      assert.equal(own.online, true);
      await disconnectAndWait(again);
    });

    test('a query the server rejects ends in the subscription\'s onError; the connection stays usable', async () => {
      const client = await connectClient();
      await assert.rejects(subscribe(client.conn, ['SELECT * FROM no_such_table']),
        (error) => /no_such_table/.test(error.message));
      assert.equal(client.conn.isActive, true);
      await subscribe(client.conn, ['SELECT * FROM message']);
      await disconnectAndWait(client);
    });

    test('connecting to a database that does not exist, or with a forged token, ends in onConnectError', async () => {
      await assert.rejects(connectClient({ database: 'no-such-database' }));
      const { token } = await connectClient();
      const [header, payload] = token.split('.');
      const forged = `${header}.${payload}.${Buffer.from('not the server\'s signature').toString('base64url')}`;
      await assert.rejects(connectClient({ token: forged }), /Failed to verify token/);
    });

    test('compression: gzip compresses large messages and they decode; none compresses nothing', async () => {
      const large = (label) => `${label} over ${protocol}: ${'spacetime '.repeat(400)}`;

      const gzipClient = await connectClient({ compression: 'gzip' });
      assert.equal(gzipClient.socket.url.searchParams.get('compression'), 'Gzip');
      const gzipLog = watchTables(gzipClient.conn, ['message']);
      await subscribe(gzipClient.conn, ['SELECT * FROM message']);
      const gzipText = large('gzip');
      await gzipClient.conn.reducers.sendMessage({ text: gzipText });
      const gzipRow = await gzipLog.next('message.insert', ({ row }) => row.text === gzipText);
      assert.equal(gzipRow.row.text, gzipText);
      assert.ok(gzipClient.socket.frames.some((f) => f.compression === GZIP_TAG),
        `a message over 1 KiB arrives gzip-compressed; compression bytes seen: ${gzipClient.socket.frames.map((f) => f.compression)}`);
      await disconnectAndWait(gzipClient);

      const plainClient = await connectClient({ compression: 'none' });
      assert.equal(plainClient.socket.url.searchParams.get('compression'), 'None');
      const plainLog = watchTables(plainClient.conn, ['message']);
      await subscribe(plainClient.conn, ['SELECT * FROM message']);
      // The initial rows already hold the large gzip message; they must arrive uncompressed too.
      assert.ok([...plainClient.conn.db.message.iter()].some((m) => m.text === gzipText));
      const plainText = large('none');
      await plainClient.conn.reducers.sendMessage({ text: plainText });
      await plainLog.next('message.insert', ({ row }) => row.text === plainText);
      assert.ok(plainClient.socket.frames.some((f) => f.size > 1024), 'large messages were sent');
      assert.deepEqual([...new Set(plainClient.socket.frames.map((f) => f.compression))], [NONE_TAG]);
      await disconnectAndWait(plainClient);
    });
  });
}
