// TxData: what one committed transaction changed — per table, the rows it inserted and the rows it deleted.
//
// It is the single input of the commitlog (durability) and of subscription evaluation. Rows are whole BSATN rows
// at the table's post-transaction schema. Within a table, a row never appears in both lists (deleting a row and
// inserting an identical one cancels out). `truncated` marks a table left empty by deletes only, which the
// commitlog writes as a truncate instead of listing the rows. Tables are sorted by id. A transaction that changed
// nothing has no tables and consumes no tx offset.
//
// Thread-safety: plain value; immutable once built, shareable across threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sats/bsatn.h"
#include "table/table_schema.h"

namespace stdb::datastore {

// A list of BSATN rows in one buffer.
class RowList {
 public:
  void Add(sats::ByteSpan row) {
    starts_.push_back(uint32_t(data_.size()));
    data_.insert(data_.end(), row.begin(), row.end());
  }
  size_t size() const { return starts_.size(); }
  bool empty() const { return starts_.empty(); }
  sats::ByteSpan operator[](size_t i) const {
    size_t end = i + 1 < starts_.size() ? starts_[i + 1] : data_.size();
    return sats::ByteSpan(data_.data() + starts_[i], end - starts_[i]);
  }
  const sats::Bytes& data() const { return data_; }
  size_t byte_size() const { return data_.size(); }

  class Iterator {
   public:
    Iterator(const RowList* l, size_t i) : l_(l), i_(i) {}
    sats::ByteSpan operator*() const { return (*l_)[i_]; }
    Iterator& operator++() { ++i_; return *this; }
    bool operator!=(const Iterator& o) const { return i_ != o.i_; }
   private:
    const RowList* l_;
    size_t i_;
  };
  Iterator begin() const { return Iterator(this, 0); }
  Iterator end() const { return Iterator(this, size()); }

 private:
  sats::Bytes data_;
  std::vector<uint32_t> starts_;
};

struct TableChanges {
  table::TableId table_id = 0;
  std::string table_name;
  RowList inserts;
  RowList deletes;
  bool truncated = false;
  bool is_event = false;  // event table: inserts only, never stored
};

// Who caused a transaction (recorded in the commitlog as the transaction's inputs).
struct TxInputs {
  std::string reducer_name;
  sats::Bytes args;  // the reference layout: caller identity (32) ‖ connection id (16) ‖ timestamp (8) ‖ reducer args
};

struct TxData {
  std::vector<TableChanges> tables;  // sorted by table id
  std::optional<TxInputs> inputs;
  std::optional<uint64_t> tx_offset;  // set when the transaction changed something

  bool empty() const { return tables.empty(); }
  const TableChanges* Find(table::TableId id) const {
    for (const auto& t : tables)
      if (t.table_id == id) return &t;
    return nullptr;
  }
};

}  // namespace stdb::datastore
