// Tuple: the unit the physical operators pass along — one row (BSATN bytes) per relation of the query being
// joined, plus the output row once a projection has made it.
//
// Operators push tuples to a TupleSink. Plans are left-deep, so a join sets its relation's slot in the tuple it
// received and pushes that same tuple on: nothing is copied per row. Row bytes point into the table pages of the
// DatabaseView (or into the bound row lists) and stay valid for the whole execution.
//
// ColumnReader finds a column's bytes inside a row through the table's RowLayout, with a fast path for columns at
// a fixed offset.
//
// Thread-safety: Tuple and sinks belong to one execution; ColumnReader is immutable.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "sats/bsatn.h"
#include "table/row_layout.h"
#include "table/table_schema.h"

namespace stdb::sql {

struct Tuple {
  std::vector<sats::ByteSpan> rows;  // indexed by relation
  sats::ByteSpan output;             // the result row, set by the projection
};

class TupleSink {
 public:
  virtual ~TupleSink() = default;
  // Consumes one tuple; returns false to stop the producer (LIMIT reached, or an error).
  virtual bool Push(const Tuple& tuple) = 0;
};

template <typename Fn>
class FunctionSink final : public TupleSink {
 public:
  explicit FunctionSink(Fn fn) : fn_(std::move(fn)) {}
  bool Push(const Tuple& tuple) override { return fn_(tuple); }

 private:
  Fn fn_;
};

template <typename Fn>
FunctionSink<Fn> MakeSink(Fn fn) {
  return FunctionSink<Fn>(std::move(fn));
}

class ColumnReader {
 public:
  ColumnReader() = default;
  ColumnReader(uint32_t relation, table::ColId column, std::shared_ptr<const table::RowLayout> layout);

  uint32_t relation() const { return relation_; }
  table::ColId column() const { return column_; }
  sats::ByteSpan Read(sats::ByteSpan row) const {
    if (fixed_size_) return sats::ByteSpan(row.data() + fixed_offset_, fixed_size_);
    return layout_->Column(row, column_);
  }
  sats::ByteSpan Read(const Tuple& tuple) const { return Read(tuple.rows[relation_]); }

 private:
  uint32_t relation_ = 0;
  table::ColId column_ = 0;
  std::shared_ptr<const table::RowLayout> layout_;
  size_t fixed_offset_ = 0;
  size_t fixed_size_ = 0;  // 0: use the layout
};

}  // namespace stdb::sql
