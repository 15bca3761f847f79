// Restart with the official TypeScript SDK: a client writes to the quickstart-chat database, the server is stopped
// with SIGTERM while the client is connected (the client is told), restarted on the same data directory and
// address, and the client reconnects with its saved token: same identity, its old name and messages are there.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  EventLog, Server, connect, installRecordingWebSocket, loadBindings, makeTempDir, removeDir, subscribe,
} from './harness.mjs';

const DATABASE = 'quickstart-chat';

let workDir;
let server;
let bindings;
let sockets;

before(async () => {
  sockets = installRecordingWebSocket();
  workDir = makeTempDir('chat-restart');
  server = new Server(workDir);
  await server.start();
  await server.publish('quickstart-chat', DATABASE);
  bindings = await loadBindings(server, 'quickstart-chat', workDir);
});

after(async () => {
  if (server) await server.stop();
  removeDir(workDir);
});

test('after SIGTERM and a restart on the same data directory, a client reconnects with its token and finds its data',
  async () => {
    const options = { uri: server.wsUrl, database: DATABASE };
    const before = await connect(bindings, sockets, options);
    const texts = ['written before the restart', 'and a second one'];
    await before.conn.reducers.setName({ name: 'dora' });
    for (const text of texts) await before.conn.reducers.sendMessage({ text });

    const stopped = await server.stop();
    assert.deepEqual(stopped, { code: 0, signal: null }, `clean shutdown on SIGTERM:\n${server.output}`);
    await before.events.next('disconnect');
    assert.equal(before.conn.isActive, false);
    assert.equal(before.socket.close?.code, 1001, 'the server closes its clients with 1001 (going away)');

    await server.start({ listenAddr: server.listenAddr });
    const after = await connect(bindings, sockets, { ...options, token: before.token });
    assert.equal(after.identity.toHexString(), before.identity.toHexString(), 'same identity after the restart');

    const log = new EventLog();
    after.conn.db.message.onInsert((_ctx, row) => log.record('message', row));
    await subscribe(after.conn, ['SELECT * FROM message', 'SELECT * FROM user']);
    const mine = [...after.conn.db.message.iter()]
      .filter((m) => m.sender.toHexString() === before.identity.toHexString())
      .map((m) => m.text);
    assert.deepEqual(mine.sort(), [...texts].sort(), 'the messages written before the restart');
    const user = after.conn.db.user.identity.find(after.identity);
    assert.equal(user.name, 'dora');
    assert.equal(user.online, true, 'client_connected ran again after the restart');

    // The restarted database still runs reducers for this client.
    await after.conn.reducers.sendMessage({ text: 'after the restart' });
    const row = await log.next('message', (m) => m.text === 'after the restart');
    assert.equal(row.sender.toHexString(), before.identity.toHexString());
    after.conn.disconnect();
    await after.events.next('disconnect');
  });
