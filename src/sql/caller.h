// CallerContext: who runs a statement. The owner of the database may run DML, sees private tables, bypasses
// row-level security and the row limit; everyone else is subject to all of them (spec/data-layer.md §4.2, §4.4,
// §5.8). The identity is the value of :sender.
//
// Thread-safety: plain value.
#pragma once

#include "sats/special_types.h"

namespace stdb::sql {

struct CallerContext {
  sats::Identity identity;
  bool is_owner = false;

  static CallerContext Owner(const sats::Identity& identity) { return {identity, true}; }
  static CallerContext Client(const sats::Identity& identity) { return {identity, false}; }
};

}  // namespace stdb::sql
