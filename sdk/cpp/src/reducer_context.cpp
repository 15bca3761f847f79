// ReducerContext calls that reach the host (see reducer_context.h).
#include "spacetimedb/reducer_context.h"

#include "spacetimedb/abi/host_imports.h"

namespace SpacetimeDB {

Identity ReducerContext::database_identity() const {
  Identity::ByteArray bytes{};
  abi::identity(bytes.data());
  return Identity(bytes);
}

Uuid ReducerContext::new_uuid_v4() const {
  std::array<uint8_t, 16> random_bytes;
  rng().fill_bytes(random_bytes.data(), random_bytes.size());
  return Uuid::from_random_bytes_v4(random_bytes);
}

Uuid ReducerContext::new_uuid_v7() const {
  if (!uuid_counter_) uuid_counter_ = std::make_shared<uint32_t>(0);
  std::array<uint8_t, 4> random_bytes;
  rng().fill_bytes(random_bytes.data(), random_bytes.size());
  return Uuid::from_counter_v7(*uuid_counter_, timestamp, random_bytes);
}

}  // namespace SpacetimeDB
