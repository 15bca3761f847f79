// EncodeBsatnRowList: a list of rows in the wire form every binary WebSocket protocol carries them in, the
// BsatnRowList of spec/client-protocol.md §7, so the server can splice rows encoded once into many messages
// without this layer depending on the server's protocol code.
//
// Layout (all integers little-endian; the BSATN of the product {size_hint: RowSizeHint, rows_data: bytes}):
//   size_hint   u8 tag, then
//                 0 FixedSize:  u16 size                every row is exactly `size` bytes (size > 0)
//                 1 RowOffsets: u32 count, count x u64  start offset of each row in rows_data
//   rows_data   u32 length, then the rows back to back
// The choice follows the reference builder: FixedSize when every row has the same non-zero length that fits in a
// u16, otherwise RowOffsets; the empty list is RowOffsets([]) with no data: 01 00000000 00000000.
// server/protocol/bsatn_row_list.h reads and writes exactly these bytes.
//
// Thread-safety: pure function.
#pragma once

#include "datastore/tx_data.h"
#include "sats/bsatn.h"

namespace stdb::subscription {

sats::Bytes EncodeBsatnRowList(const datastore::RowList& rows);

}  // namespace stdb::subscription
