#include "subscription/query_set_evaluation.h"

namespace stdb::subscription {

Status QuerySetEvaluation::Stream(const std::function<bool(size_t query, sats::ByteSpan row)>& on_row) const {
  if (!view_) return Error(ErrorCode::kInvalidArgument, "no view to evaluate the queries on");
  for (size_t i = 0; i < queries_.size(); ++i) {
    bool stopped = false;
    auto executed = queries_[i]->Evaluate(*view_, [&](sats::ByteSpan row) {
      if (on_row(i, row)) return true;
      stopped = true;
      return false;
    });
    if (!executed.ok()) return QueryError(executed.error(), queries_[i]->text());
    if (stopped) break;
  }
  return OkStatus();
}

Result<std::vector<QueryRows>> QuerySetEvaluation::Collect() const {
  std::vector<QueryRows> out(queries_.size());
  for (size_t i = 0; i < queries_.size(); ++i) out[i].query = queries_[i];
  STDB_RETURN_IF_ERROR(Stream([&](size_t query, sats::ByteSpan row) {
    out[query].rows.Add(row);
    return true;
  }));
  return out;
}

}  // namespace stdb::subscription
