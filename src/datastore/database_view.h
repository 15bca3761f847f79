// DatabaseView: a consistent read-only picture of every table of a database, for queries.
//
// Two kinds exist. A snapshot view (Datastore::TakeSnapshot) is taken between transactions on the database thread
// and can then be read from any thread for as long as it is held, while the writer goes on: the copy-on-write
// pages and index nodes it references are kept alive until it is released. A current view (MutTx::View) shows the
// writer's own state including its uncommitted changes; it is valid until the transaction's next mutation.
//
// Thread-safety: immutable; a snapshot view may be shared across threads.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "table/table.h"

namespace stdb::datastore {

class DatabaseView {
 public:
  // `release` runs when the view is destroyed (ends the snapshot); may be empty.
  DatabaseView(std::map<table::TableId, table::TableView> tables, std::map<std::string, table::TableId, std::less<>> names,
               uint64_t tx_offset, std::function<void()> release);
  DatabaseView(const DatabaseView&) = delete;
  DatabaseView& operator=(const DatabaseView&) = delete;
  ~DatabaseView();

  const table::TableView* Table(table::TableId id) const;
  // By canonical name or accessor alias.
  const table::TableView* TableByName(std::string_view name) const;
  const std::map<table::TableId, table::TableView>& tables() const { return tables_; }
  // The number of transactions committed when the view was taken (the next tx offset).
  uint64_t tx_offset() const { return tx_offset_; }

 private:
  std::map<table::TableId, table::TableView> tables_;
  std::map<std::string, table::TableId, std::less<>> names_;
  uint64_t tx_offset_;
  std::function<void()> release_;
};

}  // namespace stdb::datastore
