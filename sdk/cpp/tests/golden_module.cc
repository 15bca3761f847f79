// The module whose definition is the golden vector of spec/module-abi.md §5.7: a `person` table with an
// auto-increment primary key, an init reducer and an `add` reducer. Built natively for golden_module_test.cc and
// to wasm (sdk_golden_module.wasm).
#include <spacetimedb.h>

using namespace SpacetimeDB;

struct Person {
  uint32_t id;
  std::string name;
};
SPACETIMEDB_STRUCT(Person, id, name);
SPACETIMEDB_TABLE(Person, person, Public);
FIELD_PrimaryKeyAutoInc(person, id);

SPACETIMEDB_INIT(init, ReducerContext ctx) {
  LOG_INFO("init with " + std::to_string(ctx.db[person].count()) + " people");
  return Ok();
}

SPACETIMEDB_REDUCER(add, ReducerContext ctx, std::string name) {
  if (name.empty()) return Err("name is empty");
  const Person added = ctx.db[person].insert(Person{0, name});
  LOG_INFO("added " + added.name + " as " + std::to_string(added.id));
  return Ok();
}
