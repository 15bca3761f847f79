#include "bench/keynote/balance_check.h"

#include <algorithm>

namespace stdb::bench::keynote {

namespace v2 = server::protocol::v2;

std::string Int128ToString(__int128 v) {
  if (v == 0) return "0";
  const bool negative = v < 0;
  unsigned __int128 u = negative ? (unsigned __int128)(-(v + 1)) + 1 : (unsigned __int128)v;
  std::string digits;
  while (u > 0) {
    digits.push_back(char('0' + int(u % 10)));
    u /= 10;
  }
  if (negative) digits.push_back('-');
  std::reverse(digits.begin(), digits.end());
  return digits;
}

Result<Balances> DecodeBalances(const v2::QueryRows& rows, uint32_t max_accounts) {
  Balances b;
  b.by_id.assign(max_accounts, 0);
  b.present.assign(max_accounts, 0);
  for (const auto& table : rows.tables) {
    for (size_t i = 0; i < table.rows.size(); ++i) {
      sats::bsatn::Reader r(table.rows.row(i));
      const uint32_t id = r.U32();
      const int64_t balance = r.I64();
      if (!r.ok() || !r.at_end())
        return Error(ErrorCode::kDecode, "row " + std::to_string(i) + " of " + table.table +
                                             " is not (id u32, balance i64)");
      if (id >= max_accounts)
        return Error(ErrorCode::kInvalidArgument, "account id " + std::to_string(id) + " is not below --accounts " +
                                                      std::to_string(max_accounts) + "; seed the table again");
      if (b.present[id]) return Error(ErrorCode::kCorruption, "account id " + std::to_string(id) + " appears twice");
      b.present[id] = 1;
      b.by_id[id] = balance;
      ++b.accounts;
      b.sum += balance;
    }
  }
  return b;
}

InvariantOutcome CheckInvariant(const Balances& before, const Balances& after, const std::vector<int64_t>& delta) {
  InvariantOutcome out;
  std::string problems;
  if (before.present != after.present)
    problems += "the set of accounts changed (" + std::to_string(before.accounts) + " before, " +
                std::to_string(after.accounts) + " after); ";
  if (before.sum != after.sum)
    problems += "the sum of balances changed from " + Int128ToString(before.sum) + " to " + Int128ToString(after.sum) +
                " (by " + Int128ToString(after.sum - before.sum) + "); ";
  size_t mismatches = 0;
  std::string examples;
  if (!delta.empty()) {
    for (size_t id = 0; id < after.by_id.size() && id < before.by_id.size(); ++id) {
      const int64_t expected = before.by_id[id] + (id < delta.size() ? delta[id] : 0);
      if (after.by_id[id] == expected) continue;
      if (++mismatches <= 5)
        examples += " account " + std::to_string(id) + ": " + std::to_string(after.by_id[id]) + ", expected " +
                    std::to_string(expected) + ";";
    }
    if (mismatches > 0)
      problems += std::to_string(mismatches) + " balances differ from the committed transfers:" + examples + " ";
  }
  out.ok = problems.empty();
  if (out.ok) {
    out.report = "OK: " + std::to_string(after.accounts) + " accounts, sum of balances " + Int128ToString(after.sum) +
                 " unchanged" + (delta.empty() ? "" : ", every balance equals its start plus the committed transfers");
  } else {
    out.report = "VIOLATED: " + problems;
  }
  return out;
}

}  // namespace stdb::bench::keynote
