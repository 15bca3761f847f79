#include "subscription/bsatn_rows.h"

#include <limits>
#include <optional>

namespace stdb::subscription {

sats::Bytes EncodeBsatnRowList(const datastore::RowList& rows) {
  const size_t count = rows.size();
  std::optional<uint16_t> fixed;
  if (count > 0) {
    size_t first = rows[0].size();
    bool same = first > 0 && first <= std::numeric_limits<uint16_t>::max();
    for (size_t i = 1; same && i < count; ++i) same = rows[i].size() == first;
    if (same) fixed = uint16_t(first);
  }
  const sats::Bytes& data = rows.data();
  sats::Bytes out;
  out.reserve(1 + (fixed ? 2 : 4 + 8 * count) + 4 + data.size());
  sats::bsatn::Writer w(out);
  if (fixed) {
    w.U8(0);
    w.U16(*fixed);
  } else {
    w.U8(1);
    w.U32(uint32_t(count));
    uint64_t offset = 0;
    for (size_t i = 0; i < count; ++i) {
      w.U64(offset);
      offset += rows[i].size();
    }
  }
  w.U32(uint32_t(data.size()));
  w.Raw(data.data(), data.size());
  return out;
}

}  // namespace stdb::subscription
