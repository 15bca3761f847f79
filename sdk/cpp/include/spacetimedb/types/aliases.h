// Short type names the official SDK provides, so modules written with them compile: Unit (a unit payload,
// e.g. `(Pending, Unit)` in a tagged enum) and Vec<T>.
#pragma once

#include <variant>
#include <vector>

namespace SpacetimeDB {

using Unit = std::monostate;
template <typename T>
using Vec = std::vector<T>;

}  // namespace SpacetimeDB
