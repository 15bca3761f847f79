// The mapping between the datastore's transactions and the commitlog's records (spec/data-layer.md §3.3, §3.9).
//
// ToTxRecord builds the record the server writes for a committed transaction:
// - `mutations` is always present, even when only inputs would say anything;
// - one insert op and one delete op per table, in ascending table id (the encoder sorts too);
// - a table whose `truncated` flag is set appears only in `truncates`: its deleted rows are not written;
// - `inputs` = reducer name and the args the datastore laid out (caller identity 32 B, connection id 16 B,
//   timestamp 8 B, reducer arguments); a name longer than the format's 255 bytes is cut at a UTF-8 boundary;
//   transactions without inputs (SQL DML, schema operations) have none;
// - event tables keep their inserts: the reference logs them (replay ignores them, Datastore::Replay does too).
//   Ephemeral (view backing) tables would be left out, but the datastore has none yet.
//
// EncodeTxDataRecord writes the encoding of ToTxRecord(tx) straight from the TxData, without copying rows: the
// commit path. ToReplayTx turns a decoded record back into what Datastore::Replay applies; its spans point into
// the record.
//
// Thread-safety: pure functions.
#pragma once

#include "datastore/datastore.h"
#include "datastore/tx_data.h"
#include "durability/tx_record.h"

namespace stdb::durability {

TxRecord ToTxRecord(const datastore::TxData& tx);

// Appends exactly the bytes EncodeTxRecord(ToTxRecord(tx)) would. On error `out` is left as it was.
Status EncodeTxDataRecord(const datastore::TxData& tx, sats::Bytes& out);

datastore::ReplayTx ToReplayTx(const TxRecordView& record);

}  // namespace stdb::durability
