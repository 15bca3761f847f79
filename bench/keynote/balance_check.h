// The keynote workload's end-of-run invariant: no transfer was lost, duplicated or half-applied.
//
// The load generator fetches the whole `accounts(id u32, balance i64)` table before and after the run (a
// OneOffQuery, answered from durable state when reads are confirmed) and checks that
//   1. the same accounts exist and the sum of all balances is unchanged (transfers only move money), and
//   2. every balance equals its starting value plus the net amount of the transfers the server reported as
//      committed to this client (a transfer acknowledged but not applied, applied twice, or applied without an
//      acknowledgement shows up here even when the sum survives).
// Check 2 assumes the load generator was the only writer during the run.
//
// Thread-safety: plain values and reentrant functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sats/result.h"
#include "server/protocol/v2_server_message.h"

namespace stdb::bench::keynote {

struct Balances {
  std::vector<int64_t> by_id;   // indexed by account id
  std::vector<uint8_t> present;  // whether the id has a row
  uint64_t accounts = 0;         // rows
  __int128 sum = 0;
};

// Decodes the rows of `SELECT * FROM accounts`; ids must be below `max_accounts` and unique.
Result<Balances> DecodeBalances(const server::protocol::v2::QueryRows& rows, uint32_t max_accounts);

struct InvariantOutcome {
  bool ok = false;
  std::string report;  // one paragraph: what was checked and, on failure, the first differences
};

// `delta` is the expected change per account id (empty: only the accounts and the sum are checked).
InvariantOutcome CheckInvariant(const Balances& before, const Balances& after, const std::vector<int64_t>& delta);

std::string Int128ToString(__int128 v);

}  // namespace stdb::bench::keynote
