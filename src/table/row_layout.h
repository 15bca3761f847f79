// RowLayout: where each column of a BSATN-encoded row starts.
//
// Tables keep rows as their BSATN encoding (the format modules insert and clients receive), so reading a column
// means finding its bytes inside the row. Columns that follow only fixed-size columns have a constant offset,
// computed once here; the others are found by walking the preceding values. For a row type made only of fixed-size
// columns the whole row has a fixed size, which lets the row store use fixed slots.
//
// Thread-safety: immutable after construction.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sats/algebraic_type.h"
#include "sats/bsatn.h"

namespace stdb::table {

using sats::ByteSpan;

class RowLayout {
 public:
  RowLayout() = default;
  // `row_type` must have no Refs (table schemas store resolved types).
  explicit RowLayout(const sats::ProductType& row_type);

  const sats::ProductType& row_type() const { return row_type_; }
  size_t column_count() const { return row_type_.elements.size(); }
  const sats::AlgebraicType& column_type(size_t col) const { return row_type_.elements[col].type; }
  // The size of every row, when all columns are fixed-size.
  std::optional<size_t> fixed_row_size() const { return fixed_row_size_; }

  // The bytes of column `col` inside `row` (a valid row of this layout).
  ByteSpan Column(ByteSpan row, size_t col) const;
  // Offset of column `col` in every row, when constant.
  std::optional<size_t> FixedOffset(size_t col) const { return fixed_offsets_[col]; }

  // Checks that `row` is exactly one valid value of the row type.
  Status Validate(ByteSpan row) const;

 private:
  sats::ProductType row_type_;
  sats::AlgebraicType row_type_as_type_;
  std::optional<size_t> fixed_row_size_;
  std::vector<std::optional<size_t>> fixed_offsets_;
  std::vector<std::optional<size_t>> fixed_sizes_;
};

}  // namespace stdb::table
