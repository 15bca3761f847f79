// CallArguments: the JSON body of POST /v1/database/{db}/call/{function} built from `spacetime call` arguments.
//
// Each command-line argument is one parameter value, and the body is the JSON array of them. When the function's
// parameter types are known (from the database's schema), arguments are checked before anything is sent:
//   - the number of arguments must match the number of parameters;
//   - a String parameter may be given as bare text (`alice`), which is sent as the JSON string "alice";
//   - an Identity parameter may be given as 64 hex digits, with or without 0x (sent as ["0x..."]);
//   - every other argument must be SATS-JSON of the parameter's type (42, true, "x", [1,2], {"some": 3}, null ...);
//     a mismatch is reported with the parameter's name and type.
// Without types each argument must be valid JSON and is passed through as is.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sats/algebraic_type.h"
#include "sats/result.h"

namespace stdb::cli {

struct CallSignature {
  std::string kind;  // "reducer" or "procedure"
  std::string name;
  const sats::ProductType* params = nullptr;
  const sats::Typespace* typespace = nullptr;
};

// `signature` may be null (types unknown).
Result<std::string> BuildCallArgumentsJson(const std::vector<std::string>& args, const CallSignature* signature);

// "add(name: String, age: U8)".
std::string FormatSignature(const CallSignature& signature);

// The candidate closest to `name` (case-insensitive match, else Levenshtein distance at most a third of the
// length), or empty.
std::string ClosestName(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace stdb::cli
