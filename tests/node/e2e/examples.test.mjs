// The other example modules with the official TypeScript SDK and their generated bindings, on one real server:
// keynote-transfer (primary-keyed updates, i64 as bigint, reducer errors, a reducer that deletes and re-inserts)
// and scheduled-reminders (rows written by scheduled reducers, a private table hidden from clients).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  EventLog, Server, connect, installRecordingWebSocket, loadBindings, makeTempDir, removeDir, subscribe,
} from './harness.mjs';

let workDir;
let server;
let sockets;

before(async () => {
  sockets = installRecordingWebSocket();
  workDir = makeTempDir('examples');
  server = new Server(workDir);
  await server.start();
});

after(async () => {
  if (server) {
    const { code } = await server.stop();
    assert.equal(code, 0, `the server exits cleanly on SIGTERM:\n${server.output}`);
  }
  removeDir(workDir);
});

// Publishes the example, loads its bindings and connects one client whose table callbacks go to an EventLog.
async function clientOf(moduleName, tables) {
  await server.publish(moduleName, moduleName);
  const bindings = await loadBindings(server, moduleName, workDir);
  const client = await connect(bindings, sockets, { uri: server.wsUrl, database: moduleName });
  const log = new EventLog();
  for (const table of tables) {
    const handle = client.conn.db[table];
    handle.onInsert((ctx, row) => log.record(`${table}.insert`, { row, ctx }));
    handle.onDelete((ctx, row) => log.record(`${table}.delete`, { row, ctx }));
    if (handle.onUpdate) handle.onUpdate((ctx, oldRow, newRow) => log.record(`${table}.update`, { oldRow, newRow, ctx }));
  }
  return { bindings, client, log };
}

describe('keynote-transfer', () => {
  let bindings;
  let conn;
  let log;
  const balances = () => Object.fromEntries([...conn.db.accounts.iter()].map((a) => [a.id, a.balance]));

  before(async () => {
    let client;
    ({ bindings, client, log } = await clientOf('keynote-transfer', ['accounts']));
    conn = client.conn;
    await subscribe(conn, ['SELECT * FROM accounts']);
  });

  after(() => conn.disconnect());

  test('seed inserts the accounts; transfer updates both rows in one transaction', async () => {
    await conn.reducers.seed({ n: 3, balance: 100n });
    assert.deepEqual(balances(), { 0: 100n, 1: 100n, 2: 100n });
    assert.equal(log.all('accounts.insert').length, 3);

    await conn.reducers.transfer({ from: 0, to: 2, amount: 30n });
    assert.deepEqual(balances(), { 0: 70n, 1: 100n, 2: 130n });
    const updates = log.all('accounts.update');
    assert.deepEqual(updates.map((u) => [u.oldRow.id, u.oldRow.balance, u.newRow.balance]).sort(),
      [[0, 100n, 70n], [2, 100n, 130n]]);
    assert.equal(updates[0].ctx.event.tag, 'Reducer');
    assert.equal(updates[0].ctx.event.value.reducer.name, 'transfer');
    assert.equal(updates[0].ctx.event.id, updates[1].ctx.event.id, 'both updates belong to one event');
  });

  test('a failing transfer rejects with its error and changes nothing', async () => {
    const before = balances();
    const eventsBefore = log.events.length;
    await assert.rejects(conn.reducers.transfer({ from: 1, to: 2, amount: 1000n }),
      (error) => error instanceof bindings.sdk.SenderError && error.message === 'insufficient_funds');
    await assert.rejects(conn.reducers.transfer({ from: 1, to: 7, amount: 1n }), /account_missing/);
    assert.deepEqual(balances(), before);
    assert.equal(log.events.length, eventsBefore, 'no row callbacks for failed transactions');
  });

  test('re-seeding deletes the accounts that are gone and updates the ones whose row changed', async () => {
    // Before: {0: 70, 1: 100, 2: 130}. seed clears the table and inserts {0: 100, 1: 100} in one transaction:
    // account 0 changes, account 1 is deleted and re-inserted as it was (no change), account 2 is gone.
    const eventsBefore = log.events.length;
    await conn.reducers.seed({ n: 2, balance: 100n });
    assert.deepEqual(balances(), { 0: 100n, 1: 100n });
    const events = log.events.slice(eventsBefore);
    assert.deepEqual(events.map((e) => [e.name, e.value.row?.id ?? e.value.newRow.id]).sort(),
      [['accounts.delete', 2], ['accounts.update', 0]]);
  });
});

describe('scheduled-reminders', () => {
  let bindings;
  let conn;
  let log;

  before(async () => {
    let client;
    ({ bindings, client, log } = await clientOf('scheduled-reminders', ['firing']));
    conn = client.conn;
    await subscribe(conn, ['SELECT * FROM firing']);
  });

  after(() => conn.disconnect());

  test('rows written by the scheduler reach the client as transactions', async () => {
    // init scheduled "every second"; each firing inserts a row.
    const { row, ctx } = await log.next('firing.insert', ({ ctx: c, row: r }) =>
      c.event.tag === 'Transaction' && r.message === 'every second');
    assert.equal(typeof row.id, 'bigint');
    assert.ok(row.firedAt instanceof bindings.sdk.Timestamp);
    assert.equal(ctx.event.tag, 'Transaction');
  });

  test('schedule_reminder schedules a one-shot reminder that fires', async () => {
    await conn.reducers.scheduleReminder({ message: 'from the TypeScript client', delayMillis: 200n });
    const { row } = await log.next('firing.insert', ({ row: r }) => r.message === 'from the TypeScript client');
    assert.equal(typeof row.scheduledId, 'bigint');
  });

  test('cancel_reminder of an unknown id rejects with the module\'s error', async () => {
    await assert.rejects(conn.reducers.cancelReminder({ scheduledId: 987654321n }),
      (error) => error instanceof bindings.sdk.SenderError && error.message === 'no reminder 987654321');
  });

  test('the private schedule table cannot be subscribed to by a client that does not own the database', async () => {
    await assert.rejects(subscribe(conn, ['SELECT * FROM reminder_schedule']), /reminder_schedule/);
    assert.equal(conn.isActive, true);
  });
});
