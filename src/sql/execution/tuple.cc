#include "sql/execution/tuple.h"

namespace stdb::sql {

ColumnReader::ColumnReader(uint32_t relation, table::ColId column, std::shared_ptr<const table::RowLayout> layout)
    : relation_(relation), column_(column), layout_(std::move(layout)) {
  auto offset = layout_->FixedOffset(column);
  auto size = layout_->column_type(column).FixedBsatnSize();
  if (offset && size && *size > 0) {
    fixed_offset_ = *offset;
    fixed_size_ = *size;
  }
}

}  // namespace stdb::sql
