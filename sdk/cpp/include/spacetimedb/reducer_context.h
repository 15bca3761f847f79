// ReducerContext: what a reducer knows about the call it is serving.
//
//   ctx.sender()              the caller's Identity (the database owner for init, the database itself for
//                             scheduled calls)
//   ctx.connection_id         the caller's connection, nullopt when there is none (init, scheduled calls)
//   ctx.timestamp             the time of the call; reducers have no other clock
//   ctx.db                    the tables, inside the call's transaction
//   ctx.rng()                 a generator seeded with the timestamp, so replays draw the same numbers
//   ctx.database_identity()   this database's identity (the `identity` host call)
//   ctx.new_uuid_v4(), ctx.new_uuid_v7()
//
// Copies share the generator. Thread-safety: none; a module instance is single-threaded.
#pragma once

#include <array>
#include <memory>
#include <optional>

#include "spacetimedb/database.h"
#include "spacetimedb/random.h"
#include "spacetimedb/types/connection_id.h"
#include "spacetimedb/types/identity.h"
#include "spacetimedb/types/timestamp.h"
#include "spacetimedb/types/uuid.h"

namespace SpacetimeDB {

struct ReducerContext {
 public:
  std::optional<ConnectionId> connection_id;
  Timestamp timestamp;
  DatabaseContext db;

  ReducerContext() = default;
  ReducerContext(Identity sender, std::optional<ConnectionId> connection, Timestamp time)
      : connection_id(connection), timestamp(time), sender_(sender) {}

  Identity sender() const { return sender_; }
  Identity database_identity() const;
  [[deprecated("use database_identity()")]] Identity identity() const { return database_identity(); }

  StdbRng& rng() const {
    if (!rng_) rng_ = std::make_shared<StdbRng>(timestamp);
    return *rng_;
  }
  template <typename T>
  T random() const {
    return rng().gen<T>();
  }

  Uuid new_uuid_v4() const;
  Uuid new_uuid_v7() const;

 private:
  Identity sender_;
  mutable std::shared_ptr<StdbRng> rng_;
  mutable std::shared_ptr<uint32_t> uuid_counter_;
};

}  // namespace SpacetimeDB
