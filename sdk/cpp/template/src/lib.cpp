// A SpacetimeDB module: tables hold the data, reducers are the transactions clients call.
// Build with `spacetime build`, publish with `spacetime publish <database-name>`.
#include <spacetimedb.h>

using namespace SpacetimeDB;

struct Person {
  std::string name;
};
SPACETIMEDB_STRUCT(Person, name);
SPACETIMEDB_TABLE(Person, person, Public);

// Runs once, when the database is first published.
SPACETIMEDB_INIT(init, ReducerContext ctx) {
  LOG_INFO("Module initialized");
  return Ok();
}

// Runs when a client connects; returning Err would refuse the connection.
SPACETIMEDB_CLIENT_CONNECTED(identity_connected, ReducerContext ctx) {
  LOG_INFO("Client connected: " + ctx.sender().to_hex_string());
  return Ok();
}

SPACETIMEDB_CLIENT_DISCONNECTED(identity_disconnected, ReducerContext ctx) {
  LOG_INFO("Client disconnected: " + ctx.sender().to_hex_string());
  return Ok();
}

SPACETIMEDB_REDUCER(add, ReducerContext ctx, std::string name) {
  ctx.db[person].insert(Person{name});
  return Ok();
}

SPACETIMEDB_REDUCER(say_hello, ReducerContext ctx) {
  for (const Person& p : ctx.db[person]) {
    LOG_INFO("Hello, " + p.name + "!");
  }
  LOG_INFO("Hello, World!");
  return Ok();
}
