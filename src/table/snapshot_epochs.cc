#include "table/snapshot_epochs.h"

namespace stdb::table {

SnapshotEpochs::~SnapshotEpochs() {
  for (auto& r : retired_) r.deleter(r.object);
}

uint64_t SnapshotEpochs::BeginSnapshot() {
  uint64_t s = current_++;
  std::lock_guard<std::mutex> lock(mu_);
  ++live_[s];
  newest_live_.store(s, std::memory_order_release);
  return s;
}

void SnapshotEpochs::EndSnapshot(uint64_t epoch) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = live_.find(epoch);
  if (it == live_.end()) return;
  if (--it->second == 0) live_.erase(it);
  newest_live_.store(live_.empty() ? 0 : live_.rbegin()->first, std::memory_order_release);
}

size_t SnapshotEpochs::live_snapshots() const {
  std::lock_guard<std::mutex> lock(mu_);
  return live_.size();
}

void SnapshotEpochs::Retire(void* object, void (*deleter)(void*)) {
  retired_.push_back({object, deleter, current_});
}

void SnapshotEpochs::Reclaim() {
  if (retired_.empty()) return;
  uint64_t oldest_live;
  {
    std::lock_guard<std::mutex> lock(mu_);
    oldest_live = live_.empty() ? UINT64_MAX : live_.begin()->first;
  }
  // A snapshot taken at epoch s can reach objects retired at epochs > s (they were still current when it was
  // taken). Everything retired at or before the oldest live snapshot's epoch is unreachable.
  size_t kept = 0;
  for (auto& r : retired_) {
    if (r.retired_at <= oldest_live) {
      r.deleter(r.object);
    } else {
      retired_[kept++] = r;
    }
  }
  retired_.resize(kept);
}

}  // namespace stdb::table
