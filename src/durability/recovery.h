// Recovery: opening a database's durable state (spec/data-layer.md §3.6, §3.8, §3.9).
//
// OpenDatabaseState returns the Datastore holding every transaction the replica's log keeps and the Durability to
// continue with. For a replica directory (<dir>/clog, <dir>/snapshots) it
// 1. opens the commitlog for appending, which verifies its tail: a torn last commit (never fsynced whole, so
//    never acknowledged) is cut off; a corrupt commit in the middle of the log is an error naming the file, byte
//    position and transaction offset, unless the operator set commitlog.truncate_at_corruption, which cuts the
//    log there (everything after it is lost, and the report says where);
// 2. sets aside (renames to .invalid) snapshots newer than the log's end — the log was truncated since, so their
//    history is not the log's — and loads the newest snapshot the log continues; one that fails to load
//    (checksum, structure, rows) is skipped with its reason in the report and the next older one is tried; with
//    none the log must start at offset 0 and is replayed from there into fresh system tables;
// 3. replays the log after the snapshot, one Datastore::Replay per transaction (row boundaries from
//    ReplayRowSizer), then FinishReplay, so sequences resume after every value handed out before;
// 4. starts a LogDurability that appends after the last transaction and snapshots as configured.
// A progress callback runs every `progress_every_transactions` transactions (rows, while a snapshot loads) or
// `progress_interval`, whichever comes first, so a command line can show how far a long recovery is; the report gives what was done and the
// time each phase took. Repairs and skipped snapshots are also logged (durability.log, or standard error).
//
// Without a directory (in-memory databases) nothing touches the disk: a fresh Datastore and InMemoryDurability.
//
// The durability takes its snapshots from the returned datastore (on the thread that calls Append), so Close it
// before the datastore goes away; DatabaseState's member order does that when it is destroyed whole.
//
// Thread-safety: a free function. The caller makes sure nothing else uses the directory meanwhile.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "datastore/datastore.h"
#include "durability/commitlog.h"
#include "durability/durability.h"
#include "durability/log_durability.h"

namespace stdb::durability {

inline constexpr std::string_view kCommitlogDirName = "clog";

struct RecoveryProgress {
  enum class Phase { kSnapshot, kReplay };
  Phase phase = Phase::kSnapshot;
  uint64_t rows_restored = 0;           // from the snapshot so far
  uint64_t transactions_replayed = 0;
  uint64_t transactions_to_replay = 0;  // the whole tail after the snapshot
  std::chrono::milliseconds elapsed{0};
};

struct DatabaseStateOptions {
  // The replica directory; empty for an in-memory database.
  std::string dir;
  // Segment size, file system (null: the real one; also used for snapshots), operator truncation, ...
  CommitlogOptions commitlog;
  // Queue size, snapshot frequency, hooks. Its file_system is set to the commitlog's.
  LogDurabilityOptions durability;
  std::function<void(const RecoveryProgress&)> progress;
  uint64_t progress_every_transactions = 100'000;
  std::chrono::milliseconds progress_interval{1000};
};

struct RecoveryReport {
  bool in_memory = false;
  OpenReport commitlog;                         // torn tail cut, damage abandoned, corruption repaired
  std::optional<uint64_t> snapshot_offset;      // the snapshot loaded, if any
  uint64_t snapshot_rows = 0;
  std::vector<std::string> skipped_snapshots;   // why each unusable snapshot was passed over
  std::vector<uint64_t> set_aside_snapshots;    // newer than the log
  uint64_t replayed_from = 0;                   // first transaction replayed
  uint64_t transactions_replayed = 0;
  uint64_t next_tx_offset = 0;
  std::chrono::microseconds open_log_time{0}, snapshot_time{0}, replay_time{0}, total_time{0};
};

struct DatabaseState {
  std::unique_ptr<datastore::Datastore> datastore;
  std::unique_ptr<Durability> durability;  // declared after the datastore so that it is closed first
  RecoveryReport report;
};

Result<DatabaseState> OpenDatabaseState(const DatabaseStateOptions& options);

}  // namespace stdb::durability
