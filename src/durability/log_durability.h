// LogDurability: the Durability of a database kept on disk — a group-commit worker over a Commitlog, and a
// snapshot worker (spec/data-layer.md §3.5, §3.7, §3.8).
//
// Commits. Append (database thread) only queues the transaction; it waits for I/O only while `queue_capacity`
// transactions are already queued (back-pressure, like the reference's bounded channel). The commit worker takes
// everything queued, writes each transaction as its own commit (EncodeTxDataRecord, n = 1), then flushes and fdatasyncs
// once for the whole batch (group commit), publishes the durable offset and runs the WhenDurable callbacks that
// are now due, in offset order. While it syncs, the next batch accumulates, so batches grow with the load.
//
// Failure. A write or fsync error (or a transaction the log cannot take) stops it for good: failure() gives the
// reason, naming the file and offset; on_failure runs once; nothing more becomes durable; queued and later
// transactions are dropped and callbacks for offsets that are not durable are destroyed without running. The
// log on disk keeps every acknowledged transaction, and reopening the database recovers them.
//
// Snapshots. After Append of transaction t, when t % snapshot_every == 0 or the log has started a new segment
// since the last snapshot, the database thread takes a DatabaseView (copy-on-write, microseconds) and hands it to
// the snapshot worker, which waits until t is durable (so a snapshot is never ahead of the log), writes it
// (SnapshotStore), prunes all but the newest `snapshots_to_keep`, and compresses the closed segments that lie
// entirely before it (zstd, still readable). One snapshot at a time: a snapshot that falls due meanwhile is taken
// at the first Append after the current one finishes. Snapshot errors are logged and never stop the log: a
// snapshot only shortens recovery.
//
// Close() drains the queue, syncs, lets a snapshot in progress finish and stops both workers. Appending after
// Close is a bug and puts the log in the failed state.
//
// Thread-safety: Append and RequestSnapshot on the database thread (the snapshot source reads the datastore
// there, between transactions); everything else from any thread. Callbacks run on the commit worker, in offset
// order, or at once on the caller of WhenDurable when the offset is already durable (such a callback may overtake
// ones the worker is still running for smaller offsets).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "datastore/database_view.h"
#include "durability/commitlog.h"
#include "durability/durability.h"
#include "durability/snapshot.h"

namespace stdb::durability {

struct LogDurabilityOptions {
  // Append blocks while this many transactions wait for the commit worker (the reference's 4 x 4096).
  size_t queue_capacity = 16384;
  // A snapshot every this many transactions (at offsets divisible by it, like the reference); 0: never by count.
  uint64_t snapshot_every = 1'000'000;
  // Also a snapshot after the log starts a new segment.
  bool snapshot_on_segment_roll = true;
  size_t snapshots_to_keep = 2;
  // After a snapshot, compress closed segments that lie entirely before it.
  bool compress_old_segments = true;
  // The file system the commitlog and snapshots live on (null: the real one); used to compress segments.
  FileSystem* file_system = nullptr;
  // Runs once, on the thread that saw the error, when the log stops.
  std::function<void(const std::string& reason)> on_failure;
  // Runs on the snapshot worker after each snapshot is durable.
  std::function<void(const SnapshotStats&)> on_snapshot;
  // Messages worth an operator's attention (failures, snapshots, compression); null: standard error.
  std::function<void(const std::string& message)> log;
};

class LogDurability final : public Durability {
 public:
  // Takes a view of the committed state; called on the database thread between transactions.
  using SnapshotSource = std::function<std::shared_ptr<const datastore::DatabaseView>()>;

  // Takes over `log`, opened and recovered so that its next offset is the next transaction's, and starts the
  // workers. Without `snapshots` or `source` no snapshots are taken.
  static std::unique_ptr<LogDurability> Start(std::unique_ptr<Commitlog> log, std::unique_ptr<SnapshotStore> snapshots,
                                              SnapshotSource source, LogDurabilityOptions options = {});
  ~LogDurability() override;  // Close()
  LogDurability(const LogDurability&) = delete;
  LogDurability& operator=(const LogDurability&) = delete;

  void Append(std::shared_ptr<const datastore::TxData> tx) override;
  std::optional<uint64_t> durable_offset() const override;
  void WhenDurable(uint64_t offset, std::function<void()> callback) override;
  std::optional<std::string> failure() const override;
  void Close() override;

  // Takes a snapshot of the current state now (database thread, between transactions) unless one is being
  // written or the database has no transaction yet; returns whether it did.
  bool RequestSnapshot();
  // Blocks until no snapshot is queued or being written.
  void WaitForSnapshots();

  struct Stats {
    uint64_t transactions = 0;     // written to the log
    uint64_t syncs = 0;            // group commits (one fdatasync each)
    uint64_t largest_batch = 0;
    uint64_t append_waits = 0;     // Appends that found the queue full
    uint64_t snapshots = 0;        // written
    uint64_t compressed_segments = 0;
  };
  Stats stats() const;

 private:
  LogDurability(std::unique_ptr<Commitlog> log, std::unique_ptr<SnapshotStore> snapshots, SnapshotSource source,
                LogDurabilityOptions options);
  void CommitLoop();
  Status WriteBatch(const std::vector<std::shared_ptr<const datastore::TxData>>& batch, bool* rolled);
  void Publish(uint64_t durable, std::vector<uint64_t> segments);
  void Fail(const std::string& reason);
  void Log(const std::string& message) const;

  bool TrySubmitSnapshot();
  void SnapshotLoop();
  void WriteSnapshot(std::shared_ptr<const datastore::DatabaseView> view);
  void CompressSegmentsBefore(uint64_t tx_offset);

  std::unique_ptr<Commitlog> log_;  // the commit worker's alone once started
  sats::Bytes record_;              // the commit worker's encoding buffer
  std::unique_ptr<SnapshotStore> snapshots_;
  SnapshotSource source_;
  LogDurabilityOptions options_;
  FileSystem& fs_;
  const std::string clog_dir_;

  // Commit queue, durable offset, callbacks, failure.
  mutable std::mutex mu_;
  std::condition_variable work_cv_;     // the commit worker waits for transactions
  std::condition_variable space_cv_;    // Append waits for room in the queue
  std::condition_variable durable_cv_;  // the snapshot worker waits for its offset to be durable
  std::vector<std::shared_ptr<const datastore::TxData>> queue_;
  bool closing_ = false;
  bool commit_worker_done_ = false;
  std::optional<std::string> failure_;
  std::atomic<bool> failed_{false};  // failure_ is set (read without mu_ by failure())
  std::multimap<uint64_t, std::function<void()>> waiting_;  // WhenDurable callbacks by offset
  std::vector<uint64_t> segments_;                          // the log's segments after the last batch
  static constexpr int64_t kNothingDurable = -1;
  std::atomic<int64_t> durable_{kNothingDurable};

  // Snapshot hand-over.
  std::mutex snapshot_mu_;
  std::condition_variable snapshot_cv_;
  std::shared_ptr<const datastore::DatabaseView> snapshot_pending_;
  bool snapshot_busy_ = false;  // pending or being written
  bool snapshot_stop_ = false;
  std::atomic<bool> roll_snapshot_requested_{false};
  bool snapshot_due_ = false;            // database thread only
  std::set<uint64_t> compressed_;        // snapshot worker only

  std::mutex close_mu_;
  bool closed_ = false;

  std::atomic<uint64_t> transactions_{0}, syncs_{0}, largest_batch_{0}, append_waits_{0}, snapshots_written_{0},
      compressed_segments_{0};

  std::thread commit_thread_;
  std::thread snapshot_thread_;
};

}  // namespace stdb::durability
