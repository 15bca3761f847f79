#include "sql/execution/execution_context.h"

namespace stdb::sql {

QueryParameters::QueryParameters(const sats::Identity& sender) : sender_(sender) {
  sender_identity_.assign(sender.le_bytes().begin(), sender.le_bytes().end());
  sats::bsatn::Writer w(sender_bytes_);
  auto be = sender.be_bytes();
  w.ByteArray(sats::ByteSpan(be.data(), be.size()));
}

const table::TableView* ExecutionContext::Table(table::TableId id, const std::string& name) {
  const table::TableView* t = view_.Table(id);
  if (!t) Fail(Error(ErrorCode::kNoSuchTable, "table `" + name + "` (id " + std::to_string(id) +
                                                  ") no longer exists; the query must be compiled again"));
  return t;
}

const table::TableIndex::View* ExecutionContext::Index(const table::TableView& table, table::IndexId id,
                                                       const std::string& name) {
  const table::TableIndex::View* index = table.FindIndex(id);
  if (!index) Fail(Error(ErrorCode::kNoSuchIndex, "index `" + name + "` (id " + std::to_string(id) +
                                                      ") no longer exists; the query must be compiled again"));
  return index;
}

bool ExecutionContext::Fail(Error error) {
  if (status_.ok()) status_ = std::move(error);
  return false;
}

}  // namespace stdb::sql
