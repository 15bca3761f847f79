// quickstart-chat: the module of the chat tutorial.
//
// Clients call set_name and send_message; the user table tracks who is online through the
// client_connected / client_disconnected lifecycle reducers, and message keeps the chat history.
#include <spacetimedb.h>

using namespace SpacetimeDB;

struct User {
  Identity identity;
  std::optional<std::string> name;
  bool online;
};
SPACETIMEDB_STRUCT(User, identity, name, online);
SPACETIMEDB_TABLE(User, user, Public);
FIELD_PrimaryKey(user, identity);

struct Message {
  Identity sender;
  Timestamp sent;
  std::string text;
};
SPACETIMEDB_STRUCT(Message, sender, sent, text);
SPACETIMEDB_TABLE(Message, message, Public);

Outcome<std::string> validate_name(const std::string& name) {
  if (name.empty()) {
    return Err<std::string>("Names must not be empty");
  }
  return Ok(name);
}

SPACETIMEDB_REDUCER(set_name, ReducerContext ctx, std::string name) {
  auto validated = validate_name(name);
  if (validated.is_err()) {
    return Err(validated.error());
  }
  auto user_row = ctx.db[user_identity].find(ctx.sender());
  if (user_row.has_value()) {
    auto user = user_row.value();
    user.name = validated.value();
    ctx.db[user_identity].update(user);
    return Ok();
  }
  return Err("Cannot set name for unknown user");
}

Outcome<std::string> validate_message(const std::string& text) {
  if (text.empty()) {
    return Err<std::string>("Messages must not be empty");
  }
  return Ok(text);
}

SPACETIMEDB_REDUCER(send_message, ReducerContext ctx, std::string text) {
  auto validated = validate_message(text);
  if (validated.is_err()) {
    return Err(validated.error());
  }
  Message msg{ctx.sender(), ctx.timestamp, validated.value()};
  ctx.db[message].insert(msg);
  return Ok();
}

SPACETIMEDB_CLIENT_CONNECTED(client_connected, ReducerContext ctx) {
  auto user_row = ctx.db[user_identity].find(ctx.sender());
  if (user_row.has_value()) {
    auto user = user_row.value();
    user.online = true;
    ctx.db[user_identity].update(user);
  } else {
    User new_user{ctx.sender(), std::nullopt, true};
    ctx.db[user].insert(new_user);
  }
  return Ok();
}

SPACETIMEDB_CLIENT_DISCONNECTED(client_disconnected, ReducerContext ctx) {
  auto user_row = ctx.db[user_identity].find(ctx.sender());
  if (user_row.has_value()) {
    auto user = user_row.value();
    user.online = false;
    ctx.db[user_identity].update(user);
  } else {
    LOG_WARN("Disconnect event for unknown user");
  }
  return Ok();
}
