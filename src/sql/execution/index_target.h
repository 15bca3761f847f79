// IndexTarget: an index that a scan or join reads, with what is needed to turn SQL values into its keys.
//
// Index keys are the encodings of table/index_key.h: one uint64 for a single small column (the U64 shape), else
// an order-preserving byte string built column by column (the Bytes shape), in which the first k columns form a
// byte prefix of the key. Values come as BSATN (column bytes, encoded literals, :sender) and are appended column
// by column.
//
// KeyValue is a key column's value known before the lookup starts: an encoded literal or :sender.
//
// Thread-safety: immutable.
#pragma once

#include <string>
#include <vector>

#include "sats/algebraic_type.h"
#include "sql/binder/bound_expr.h"
#include "sql/execution/execution_context.h"
#include "table/table_index.h"
#include "table/table_schema.h"

namespace stdb::sql {

struct IndexTarget {
  table::TableId table_id = 0;
  std::string table_name;
  table::IndexId index_id = 0;
  std::string index_name;
  std::vector<table::ColId> columns;
  std::vector<sats::AlgebraicType> key_types;
  table::KeyShape shape = table::KeyShape::kU64;
  bool unique = false;

  static IndexTarget For(const table::TableSchema& table, const table::IndexSchema& index);

  // Appends key column `key_col` given the BSATN of its value: sets the U64 key, or appends to the byte key.
  void AppendColumn(size_t key_col, sats::ByteSpan bsatn, table::IndexKey& key) const;
  // "t_a_b_idx on t(a, b)".
  std::string Describe(const table::TableSchema& table) const;
};

struct KeyValue {
  enum class Source : uint8_t { kLiteral, kSender, kSenderBytes };
  Source source = Source::kLiteral;
  sats::Bytes literal;  // BSATN
  std::string text;     // for plan descriptions

  static KeyValue From(const Operand& operand);
  sats::ByteSpan Get(const QueryParameters& params) const {
    switch (source) {
      case Source::kLiteral: return literal;
      case Source::kSender: return params.SenderBsatn(false);
      case Source::kSenderBytes: return params.SenderBsatn(true);
    }
    return {};
  }
};

}  // namespace stdb::sql
