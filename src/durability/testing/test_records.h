// Helpers for tests that write and read commitlogs: a row type, rows in its BSATN, the RowSizeFn that finds
// their boundaries, and deterministic pseudo-random transactions.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <algorithm>
#include <random>
#include <string>

#include "durability/tx_record.h"
#include "sats/algebraic_type.h"
#include "sats/bsatn.h"

namespace stdb::durability::testing {

// Every test table has rows of type Product{id: U64, name: String}.
inline const sats::AlgebraicType& TestRowType() {
  static const sats::AlgebraicType type = sats::AlgebraicType::Product(sats::ProductType({
      {std::string("id"), sats::AlgebraicType::U64()},
      {std::string("name"), sats::AlgebraicType::String()},
  }));
  return type;
}

inline sats::Bytes TestRow(uint64_t id, const std::string& name) {
  sats::Bytes out;
  sats::bsatn::Writer w(out);
  w.U64(id);
  w.String(name);
  return out;
}

inline RowSizeFn TestRowSize() {
  return [](uint32_t, sats::ByteSpan at) { return BsatnRowSize(TestRowType(), nullptr, at); };
}

// A transaction shaped like the server's: a reducer call with 56 bytes of caller data plus `args`, inserts
// and deletes on a few tables, sometimes a truncate. Same seed, same transaction.
inline TxRecord MakeTestTx(uint64_t seed) {
  std::mt19937_64 rng(seed);
  TxRecord tx;
  if (rng() % 4 != 0) {
    TxInputs inputs;
    inputs.reducer_name = "reducer_" + std::to_string(rng() % 10);
    inputs.args.resize(56 + rng() % 16);
    for (auto& b : inputs.args) b = static_cast<uint8_t>(rng());
    tx.inputs = std::move(inputs);
  }
  TxMutations m;
  uint32_t tables = 1 + static_cast<uint32_t>(rng() % 3);
  for (uint32_t t = 0; t < tables; ++t) {
    TableRows rows{4096 + t * 3 + static_cast<uint32_t>(rng() % 3), {}};
    size_t n = 1 + rng() % 3;
    for (size_t i = 0; i < n; ++i) rows.rows.push_back(TestRow(rng(), "row " + std::to_string(rng() % 1000)));
    if (rng() % 3 == 0)
      m.deletes.push_back(std::move(rows));
    else
      m.inserts.push_back(std::move(rows));
  }
  if (rng() % 8 == 0) m.truncates.push_back(4200 + static_cast<uint32_t>(rng() % 4));
  tx.mutations = std::move(m);
  return tx;
}

// MakeTestTx with its ops in the order the encoder writes them (ascending table id), so that decoding an
// encoded transaction gives back an equal TxRecord.
inline TxRecord CanonicalTestTx(uint64_t seed) {
  TxRecord tx = MakeTestTx(seed);
  auto by_table = [](const TableRows& a, const TableRows& b) { return a.table_id < b.table_id; };
  std::stable_sort(tx.mutations->inserts.begin(), tx.mutations->inserts.end(), by_table);
  std::stable_sort(tx.mutations->deletes.begin(), tx.mutations->deletes.end(), by_table);
  return tx;
}

}  // namespace stdb::durability::testing
