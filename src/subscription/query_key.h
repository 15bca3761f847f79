// QueryKey: the identity of a subscription query, by which the manager shares one compiled query, one
// evaluation per transaction and one encoding among all its subscribers (spec/data-layer.md §5.3).
//
// The key is the exact query text (no normalisation: two spellings are two queries; the v2 and multi-query paths
// trim it first), plus the caller's identity when the compiled query belongs to one caller: when it reads :sender
// (directly or through a row-level-security rule) or when it is compiled for the owner, who sees private tables
// and bypasses row-level security. The reference hashes the same inputs with BLAKE3; keying a hash map by the
// inputs themselves gives the same sharing without collisions.
//
// Thread-safety: plain value.
#pragma once

#include <string>
#include <string_view>

#include "absl/hash/hash.h"
#include "sats/special_types.h"

namespace stdb::subscription {

struct QueryKey {
  std::string text;
  bool per_caller = false;
  bool for_owner = false;  // per_caller only
  sats::Identity caller;   // per_caller only

  static QueryKey Shared(std::string_view text) { return QueryKey{std::string(text), false, false, {}}; }
  static QueryKey ForCaller(std::string_view text, const sats::Identity& caller, bool owner) {
    return QueryKey{std::string(text), true, owner, caller};
  }

  bool operator==(const QueryKey& o) const = default;
  template <typename H>
  friend H AbslHashValue(H h, const QueryKey& k) {
    h = H::combine(std::move(h), k.text, k.per_caller, k.for_owner);
    const auto& le = k.caller.le_bytes();
    return H::combine_contiguous(std::move(h), le.data(), le.size());
  }
};

}  // namespace stdb::subscription
