// Fuzzes the JSON parser and the SATS-JSON reader: the first byte picks a type from a small menu, the rest is
// JSON text. A parsed document must dump and re-parse to the same dump; a value read as SATS-JSON must survive a
// typed and an untyped round trip.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sats/sats_json.h"

using namespace stdb::sats;

namespace {

const AlgebraicType& PickType(uint8_t b) {
  static const AlgebraicType kTypes[] = {
      AlgebraicType::U32(),
      AlgebraicType::I128(),
      AlgebraicType::String(),
      AlgebraicType::Bytes(),
      AlgebraicType::Option(AlgebraicType::U256()),
      NamedProduct({{"id", AlgebraicType::U64()}, {"name", AlgebraicType::String()}, {"f", AlgebraicType::F64()}}),
      AlgebraicType::Array(NamedSum({{"a", AlgebraicType::Unit()}, {"b", AlgebraicType::I8()}})),
      AlgebraicType::Identity(),
      AlgebraicType::ScheduleAt(),
  };
  return kTypes[b % (sizeof(kTypes) / sizeof(kTypes[0]))];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  auto json = Json::Parse(text, 64);
  if (!json.ok()) return 0;
  std::string dumped = json->Dump();
  auto again = Json::Parse(dumped, 64);
  if (!again.ok() || again->Dump() != dumped) std::abort();

  const AlgebraicType& type = PickType(data[0]);
  auto value = sats_json::Read(type, *json);
  if (!value.ok()) return 0;
  auto typed = sats_json::Read(type, sats_json::ToTypedJson(type, *value));
  auto untyped = sats_json::Read(type, sats_json::ToUntypedJson(*value));
  // Floats that are not finite print as null and cannot be read back; everything else must round-trip.
  bool has_float = type.IsProduct() && type.product().elements.size() == 3;
  if (!has_float && (!typed.ok() || !untyped.ok() || !(*typed == *value) || !(*untyped == *value))) std::abort();
  return 0;
}
