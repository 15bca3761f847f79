// QueryUpdate: what one transaction changed in the result of one subscribed query — the rows of its table to
// delete and to insert — computed once and shared by every subscriber of the query (spec/data-layer.md §5.5-5.6).
//
// The rows are whole BSATN rows of the query's table (bag semantics: a row may appear several times; an updated
// row is its old version in `deletes` and its new one in `inserts`). For an event table there are only inserts
// (the events). The wire form of each list (bsatn_rows.h) is built on first request, once, by whichever thread
// asks first, and shared by every message that carries it: the server can encode on its I/O threads.
//
// Thread-safety: immutable after construction except for the lazily built encodings, which are thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "datastore/tx_data.h"
#include "sats/bsatn.h"
#include "table/table_schema.h"

namespace stdb::subscription {

class QueryUpdate {
 public:
  QueryUpdate(table::TableId table_id, std::string table_name, bool is_event, datastore::RowList inserts,
              datastore::RowList deletes)
      : table_id_(table_id),
        table_name_(std::move(table_name)),
        is_event_(is_event),
        inserts_(std::move(inserts)),
        deletes_(std::move(deletes)) {}
  QueryUpdate(const QueryUpdate&) = delete;
  QueryUpdate& operator=(const QueryUpdate&) = delete;

  table::TableId table_id() const { return table_id_; }
  const std::string& table_name() const { return table_name_; }
  // Event table: send as TableUpdateRows::EventTable{events = inserts}.
  bool is_event() const { return is_event_; }
  const datastore::RowList& inserts() const { return inserts_; }
  const datastore::RowList& deletes() const { return deletes_; }
  bool empty() const { return inserts_.empty() && deletes_.empty(); }

  // The BsatnRowList bytes of inserts() and deletes(), encoded once.
  const std::shared_ptr<const sats::Bytes>& EncodedInserts() const;
  const std::shared_ptr<const sats::Bytes>& EncodedDeletes() const;

 private:
  void Encode() const;

  table::TableId table_id_;
  std::string table_name_;
  bool is_event_;
  datastore::RowList inserts_;
  datastore::RowList deletes_;
  mutable std::once_flag encoded_once_;
  mutable std::shared_ptr<const sats::Bytes> encoded_inserts_;
  mutable std::shared_ptr<const sats::Bytes> encoded_deletes_;
};

}  // namespace stdb::subscription
