#include "durability/log_durability.h"

#include <cstdio>

#include "durability/segment.h"
#include "durability/segment_compression.h"
#include "durability/tx_data_record.h"

namespace stdb::durability {

std::unique_ptr<LogDurability> LogDurability::Start(std::unique_ptr<Commitlog> log,
                                                    std::unique_ptr<SnapshotStore> snapshots, SnapshotSource source,
                                                    LogDurabilityOptions options) {
  std::unique_ptr<LogDurability> d(
      new LogDurability(std::move(log), std::move(snapshots), std::move(source), std::move(options)));
  d->commit_thread_ = std::thread([p = d.get()] { p->CommitLoop(); });
  if (d->snapshots_ && d->source_) d->snapshot_thread_ = std::thread([p = d.get()] { p->SnapshotLoop(); });
  return d;
}

LogDurability::LogDurability(std::unique_ptr<Commitlog> log, std::unique_ptr<SnapshotStore> snapshots,
                             SnapshotSource source, LogDurabilityOptions options)
    : log_(std::move(log)),
      snapshots_(std::move(snapshots)),
      source_(std::move(source)),
      options_(std::move(options)),
      fs_(options_.file_system ? *options_.file_system : FileSystem::Posix()),
      clog_dir_(log_->dir()) {
  if (options_.queue_capacity == 0) options_.queue_capacity = 1;
  if (auto d = log_->durable_offset()) durable_.store(int64_t(*d));
  segments_ = log_->segment_offsets();
}

LogDurability::~LogDurability() { Close(); }

void LogDurability::Log(const std::string& message) const {
  if (options_.log) {
    options_.log(message);
  } else {
    std::fprintf(stderr, "durability %s: %s\n", clog_dir_.c_str(), message.c_str());
  }
}

// --- commits ---------------------------------------------------------------------------------------------------

void LogDurability::Append(std::shared_ptr<const datastore::TxData> tx) {
  if (!tx || !tx->tx_offset) return;  // an empty transaction consumes no offset and is not logged
  const uint64_t offset = *tx->tx_offset;
  bool wake_worker = false;
  {
    std::unique_lock lock(mu_);
    if (closing_) {
      lock.unlock();
      Fail("transaction " + std::to_string(offset) + " was appended after Close; it is not durable");
      return;
    }
    if (failure_) return;
    if (queue_.size() >= options_.queue_capacity) {
      append_waits_.fetch_add(1, std::memory_order_relaxed);
      space_cv_.wait(lock, [&] { return queue_.size() < options_.queue_capacity || failure_ || closing_; });
      if (failure_ || closing_) return;
    }
    // The worker waits only for an empty queue to fill: a wake-up (a futex call) per batch, not per transaction.
    wake_worker = queue_.empty();
    queue_.push_back(std::move(tx));
  }
  if (wake_worker) work_cv_.notify_one();

  if (!snapshots_ || !source_) return;
  if ((options_.snapshot_every && offset % options_.snapshot_every == 0) ||
      roll_snapshot_requested_.exchange(false, std::memory_order_relaxed))
    snapshot_due_ = true;
  if (snapshot_due_ && TrySubmitSnapshot()) snapshot_due_ = false;
}

void LogDurability::CommitLoop() {
  std::vector<std::shared_ptr<const datastore::TxData>> batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      work_cv_.wait(lock, [&] { return !queue_.empty() || closing_; });
      if (queue_.empty()) break;  // closing and drained
      batch.swap(queue_);
    }
    space_cv_.notify_all();
    if (failure()) {
      batch.clear();  // the log stopped: these are never durable
      continue;
    }
    bool rolled = false;
    Status written = WriteBatch(batch, &rolled);
    const size_t batch_size = batch.size();
    batch.clear();  // release the rows promptly
    if (!written.ok()) {
      Fail(written.error().message());
      continue;
    }
    transactions_.fetch_add(batch_size, std::memory_order_relaxed);
    syncs_.fetch_add(1, std::memory_order_relaxed);
    if (batch_size > largest_batch_.load(std::memory_order_relaxed))
      largest_batch_.store(batch_size, std::memory_order_relaxed);
    if (rolled && options_.snapshot_on_segment_roll) roll_snapshot_requested_.store(true, std::memory_order_relaxed);
    Publish(*log_->durable_offset(), log_->segment_offsets());
  }
  if (!failure()) {
    Status closed = log_->Close();
    if (!closed.ok()) Fail(closed.error().message());
  }
  {
    std::lock_guard lock(mu_);
    commit_worker_done_ = true;
  }
  durable_cv_.notify_all();
}

Status LogDurability::WriteBatch(const std::vector<std::shared_ptr<const datastore::TxData>>& batch, bool* rolled) {
  const size_t segments_before = log_->segment_offsets().size();
  for (const auto& tx : batch) {
    const uint64_t expected = log_->next_tx_offset();
    if (*tx->tx_offset != expected)
      return Error(ErrorCode::kInternal, "the database appended transaction " + std::to_string(*tx->tx_offset) +
                                             " where the log " + clog_dir_ + " continues with " +
                                             std::to_string(expected));
    record_.clear();
    Status encoded = EncodeTxDataRecord(*tx, record_);
    if (!encoded.ok()) return std::move(encoded).error().Prefix("encoding transaction " + std::to_string(expected));
    auto appended = log_->AppendCommit(1, record_);
    if (!appended.ok())
      return std::move(appended).error().Prefix("writing transaction " + std::to_string(expected) + " to " + clog_dir_);
  }
  auto synced = log_->Sync();
  if (!synced.ok()) return std::move(synced).error().Prefix("syncing " + clog_dir_);
  *rolled = log_->segment_offsets().size() != segments_before;
  return OkStatus();
}

void LogDurability::Publish(uint64_t durable, std::vector<uint64_t> segments) {
  std::vector<std::function<void()>> due;
  {
    std::lock_guard lock(mu_);
    durable_.store(int64_t(durable), std::memory_order_release);
    auto end = waiting_.upper_bound(durable);
    for (auto it = waiting_.begin(); it != end; ++it) due.push_back(std::move(it->second));
    waiting_.erase(waiting_.begin(), end);
    segments_ = std::move(segments);
  }
  durable_cv_.notify_all();
  for (auto& callback : due) callback();
}

std::optional<uint64_t> LogDurability::durable_offset() const {
  int64_t d = durable_.load(std::memory_order_acquire);
  if (d == kNothingDurable) return std::nullopt;
  return uint64_t(d);
}

void LogDurability::WhenDurable(uint64_t offset, std::function<void()> callback) {
  {
    std::lock_guard lock(mu_);
    int64_t d = durable_.load(std::memory_order_relaxed);
    if (d == kNothingDurable || uint64_t(d) < offset) {
      if (!failure_) waiting_.emplace(offset, std::move(callback));
      return;  // after a failure the callback is dropped: the offset never becomes durable
    }
  }
  callback();
}

std::optional<std::string> LogDurability::failure() const {
  // Asked before every reducer call: without the lock (shared with the worker) while nothing has failed.
  if (!failed_.load(std::memory_order_acquire)) return std::nullopt;
  std::lock_guard lock(mu_);
  return failure_;
}

void LogDurability::Fail(const std::string& reason) {
  std::multimap<uint64_t, std::function<void()>> dropped;
  {
    std::lock_guard lock(mu_);
    if (failure_) return;
    failure_ = reason;
    failed_.store(true, std::memory_order_release);
    dropped.swap(waiting_);
    queue_.clear();
  }
  space_cv_.notify_all();
  durable_cv_.notify_all();
  dropped.clear();
  Log("the log stopped; nothing more becomes durable: " + reason);
  if (options_.on_failure) options_.on_failure(reason);
}

void LogDurability::Close() {
  std::lock_guard close_lock(close_mu_);
  if (closed_) return;
  closed_ = true;
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  work_cv_.notify_all();
  space_cv_.notify_all();
  if (commit_thread_.joinable()) commit_thread_.join();
  {
    std::lock_guard lock(snapshot_mu_);
    snapshot_stop_ = true;
  }
  snapshot_cv_.notify_all();
  if (snapshot_thread_.joinable()) snapshot_thread_.join();
}

LogDurability::Stats LogDurability::stats() const {
  Stats s;
  s.transactions = transactions_.load(std::memory_order_relaxed);
  s.syncs = syncs_.load(std::memory_order_relaxed);
  s.largest_batch = largest_batch_.load(std::memory_order_relaxed);
  s.append_waits = append_waits_.load(std::memory_order_relaxed);
  s.snapshots = snapshots_written_.load(std::memory_order_relaxed);
  s.compressed_segments = compressed_segments_.load(std::memory_order_relaxed);
  return s;
}

// --- snapshots -------------------------------------------------------------------------------------------------

bool LogDurability::RequestSnapshot() {
  if (!snapshots_ || !source_) return false;
  return TrySubmitSnapshot();
}

bool LogDurability::TrySubmitSnapshot() {
  {
    std::lock_guard lock(snapshot_mu_);
    if (snapshot_busy_ || snapshot_stop_) return false;
  }
  // Only the database thread submits, so nobody else can make the worker busy meanwhile.
  std::shared_ptr<const datastore::DatabaseView> view = source_();
  if (!view || view->tx_offset() == 0) return false;
  {
    std::lock_guard lock(snapshot_mu_);
    snapshot_pending_ = std::move(view);
    snapshot_busy_ = true;
  }
  snapshot_cv_.notify_all();
  return true;
}

void LogDurability::WaitForSnapshots() {
  std::unique_lock lock(snapshot_mu_);
  snapshot_cv_.wait(lock, [&] { return !snapshot_busy_; });
}

void LogDurability::SnapshotLoop() {
  for (;;) {
    std::shared_ptr<const datastore::DatabaseView> view;
    {
      std::unique_lock lock(snapshot_mu_);
      snapshot_cv_.wait(lock, [&] { return snapshot_pending_ || snapshot_stop_; });
      if (!snapshot_pending_) break;
      view = std::move(snapshot_pending_);
    }
    WriteSnapshot(std::move(view));
    {
      std::lock_guard lock(snapshot_mu_);
      snapshot_busy_ = false;
    }
    snapshot_cv_.notify_all();
  }
}

void LogDurability::WriteSnapshot(std::shared_ptr<const datastore::DatabaseView> view) {
  const uint64_t offset = view->tx_offset() - 1;
  {
    std::unique_lock lock(mu_);
    durable_cv_.wait(lock, [&] {
      int64_t d = durable_.load(std::memory_order_relaxed);
      return (d != kNothingDurable && uint64_t(d) >= offset) || failure_ || commit_worker_done_;
    });
    int64_t d = durable_.load(std::memory_order_relaxed);
    if (d == kNothingDurable || uint64_t(d) < offset) {
      lock.unlock();
      Log("snapshot of transaction " + std::to_string(offset) + " abandoned: the transaction never became durable");
      return;
    }
  }
  auto written = snapshots_->Write(*view);
  view.reset();  // let the writer stop copying pages for it
  if (!written.ok()) {
    if (written.error().code() != ErrorCode::kAlreadyExists)
      Log("snapshot of transaction " + std::to_string(offset) + " failed (the log is unaffected): " +
          written.error().message());
    return;
  }
  snapshots_written_.fetch_add(1, std::memory_order_relaxed);
  if (options_.on_snapshot) options_.on_snapshot(*written);
  auto pruned = snapshots_->Prune(options_.snapshots_to_keep);
  if (!pruned.ok()) Log("pruning old snapshots failed: " + pruned.error().message());
  if (options_.compress_old_segments) CompressSegmentsBefore(offset);
}

void LogDurability::CompressSegmentsBefore(uint64_t tx_offset) {
  std::vector<uint64_t> segments;
  {
    std::lock_guard lock(mu_);
    segments = segments_;
  }
  // Segment i holds offsets [segments[i], segments[i + 1]); the last one is the head and is never touched.
  for (size_t i = 0; i + 1 < segments.size(); ++i) {
    if (segments[i + 1] > tx_offset + 1) break;
    if (compressed_.count(segments[i])) continue;
    const std::string path = JoinPath(clog_dir_, SegmentFileName(segments[i]));
    auto file = fs_.OpenReadable(path);
    if (file.ok()) {
      uint8_t magic[4] = {0, 0, 0, 0};
      auto got = (*file)->ReadAt(0, magic);
      if (got.ok() && *got == sizeof magic && StartsWithZstdMagic(magic)) {
        compressed_.insert(segments[i]);  // by an earlier process
        continue;
      }
    }
    auto stats = CompressSegmentFile(fs_, path);
    if (!stats.ok()) {
      Log("compressing segment " + path + " failed (it stays uncompressed): " + stats.error().message());
      return;
    }
    compressed_.insert(segments[i]);
    compressed_segments_.fetch_add(1, std::memory_order_relaxed);
  }
}

}  // namespace stdb::durability
