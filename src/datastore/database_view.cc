#include "datastore/database_view.h"

namespace stdb::datastore {

DatabaseView::DatabaseView(std::map<table::TableId, table::TableView> tables,
                           std::map<std::string, table::TableId, std::less<>> names, uint64_t tx_offset,
                           std::function<void()> release)
    : tables_(std::move(tables)), names_(std::move(names)), tx_offset_(tx_offset), release_(std::move(release)) {}

DatabaseView::~DatabaseView() {
  if (release_) release_();
}

const table::TableView* DatabaseView::Table(table::TableId id) const {
  auto it = tables_.find(id);
  return it == tables_.end() ? nullptr : &it->second;
}

const table::TableView* DatabaseView::TableByName(std::string_view name) const {
  auto it = names_.find(name);
  return it == names_.end() ? nullptr : Table(it->second);
}

}  // namespace stdb::datastore
