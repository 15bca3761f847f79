// A tiny chat client for the quickstart-chat module, using the official TypeScript SDK and the bindings that
// `spacetime generate --lang typescript --out-dir src/module_bindings` writes.
//
//   npm start                  prints the chat history, then every new message, until Ctrl-C
//   npm start -- Hello there   prints the history, sends "Hello there", prints it when it arrives, exits
//
// SPACETIMEDB_URI (default ws://127.0.0.1:3000) and SPACETIMEDB_DB (default quickstart-chat) say where to connect.
import { DbConnection, type EventContext } from './module_bindings';
import type { Message } from './module_bindings/types';

const uri = process.env.SPACETIMEDB_URI ?? 'ws://127.0.0.1:3000';
const database = process.env.SPACETIMEDB_DB ?? 'quickstart-chat';
const textToSend = process.argv.slice(2).join(' ');

DbConnection.builder()
  .withUri(uri)
  .withDatabaseName(database)
  .onConnect((conn, identity) => {
    console.log(`Connected to ${database} as ${identity.toHexString()}`);

    // The sender's name if they set one with set_name, else the start of their identity.
    const senderName = (ctx: EventContext, message: Message) =>
      ctx.db.user.identity.find(message.sender)?.name ?? message.sender.toHexString().slice(0, 8);

    conn.db.message.onInsert((ctx, message) => {
      console.log(`${senderName(ctx, message)}: ${message.text}`);
      if (textToSend && message.text === textToSend && message.sender.isEqual(identity)) conn.disconnect();
    });

    conn
      .subscriptionBuilder()
      .onApplied(() => {
        if (textToSend) conn.reducers.sendMessage({ text: textToSend }).catch((error) => {
          console.error(`send_message failed: ${error.message}`);
          process.exit(1);
        });
      })
      .onError((ctx) => {
        console.error(`Subscription failed: ${ctx.event?.message}`);
        process.exit(1);
      })
      .subscribe(['SELECT * FROM user', 'SELECT * FROM message']);
  })
  .onConnectError((_ctx, error) => {
    console.error(`Could not connect to ${database} at ${uri}: ${error.message}`);
    process.exit(1);
  })
  .build();
