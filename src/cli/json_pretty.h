// PrettyJson: JSON laid out the way serde_json's `to_string_pretty` does (the reference CLI's `describe --json`
// output): two-space indentation, one member or element per line, `"key": value`, and `[]` / `{}` for empty
// containers. Numbers keep their exact source text (128-bit integers stay exact).
//
// Thread-safety: pure function.
#pragma once

#include <string>

#include "sats/json.h"

namespace stdb::cli {

std::string PrettyJson(const sats::Json& json);

}  // namespace stdb::cli
