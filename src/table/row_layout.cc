#include "table/row_layout.h"

namespace stdb::table {

RowLayout::RowLayout(const sats::ProductType& row_type)
    : row_type_(row_type), row_type_as_type_(sats::AlgebraicType::Product(row_type)) {
  size_t offset = 0;
  bool fixed_prefix = true;
  for (const auto& e : row_type_.elements) {
    auto size = e.type.FixedBsatnSize();
    fixed_offsets_.push_back(fixed_prefix ? std::optional<size_t>(offset) : std::nullopt);
    fixed_sizes_.push_back(size);
    if (size && fixed_prefix) offset += *size;
    else fixed_prefix = false;
  }
  if (fixed_prefix) fixed_row_size_ = offset;
}

ByteSpan RowLayout::Column(ByteSpan row, size_t col) const {
  if (fixed_offsets_[col] && fixed_sizes_[col]) return row.subspan(*fixed_offsets_[col], *fixed_sizes_[col]);
  // Walk from the last column with a known offset.
  size_t start_col = col;
  while (!fixed_offsets_[start_col]) --start_col;
  sats::bsatn::Reader r(row.subspan(*fixed_offsets_[start_col]));
  for (size_t c = start_col; c < col; ++c) (void)sats::bsatn::SkipValue(row_type_.elements[c].type, nullptr, r);
  size_t begin = *fixed_offsets_[start_col] + r.offset();
  (void)sats::bsatn::SkipValue(row_type_.elements[col].type, nullptr, r);
  size_t end = *fixed_offsets_[start_col] + r.offset();
  return row.subspan(begin, end - begin);
}

Status RowLayout::Validate(ByteSpan row) const { return sats::bsatn::ValidateValue(row_type_as_type_, row); }

}  // namespace stdb::table
