#include "durability/recovery.h"

#include <algorithm>
#include <cstdio>

#include "durability/replay_row_sizer.h"
#include "durability/snapshot.h"
#include "durability/snapshot_format.h"
#include "durability/tx_data_record.h"

namespace stdb::durability {
namespace {

using Clock = std::chrono::steady_clock;

std::chrono::microseconds Since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
}

// Calls the progress callback every N units of work or every interval, whichever comes first.
class ProgressReporter {
 public:
  ProgressReporter(const DatabaseStateOptions& options, Clock::time_point start)
      : options_(options), start_(start), last_(start) {}

  void Tick(RecoveryProgress& progress, uint64_t done, bool force = false) {
    if (!options_.progress) return;
    bool count_due = options_.progress_every_transactions && done - last_done_ >= options_.progress_every_transactions;
    // The clock is read every 256 units only.
    bool time_due = (done & 255) == 0 && Clock::now() - last_ >= options_.progress_interval;
    if (!force && !count_due && !time_due) return;
    last_done_ = done;
    last_ = Clock::now();
    progress.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(last_ - start_);
    options_.progress(progress);
  }

 private:
  const DatabaseStateOptions& options_;
  Clock::time_point start_, last_;
  uint64_t last_done_ = 0;
};

// Streams a snapshot into a fresh datastore: the system tables come first (lowest ids) and are collected, then
// restored at once so that the user tables they describe exist before their rows arrive.
class SnapshotLoader final : public SnapshotVisitor {
 public:
  SnapshotLoader(datastore::Datastore& ds, ProgressReporter& reporter) : ds_(ds), reporter_(reporter) {
    progress_.phase = RecoveryProgress::Phase::kSnapshot;
  }

  Status OnTable(uint32_t table_id, std::string_view, uint64_t) override {
    if (!datastore::IsSystemTable(table_id)) return RestoreSystemTables();
    return OkStatus();
  }
  Status OnRows(uint32_t table_id, std::span<const sats::ByteSpan> rows) override {
    if (datastore::IsSystemTable(table_id)) {
      auto& kept = system_rows_[table_id];
      for (sats::ByteSpan row : rows) kept.emplace_back(row.begin(), row.end());
    } else {
      STDB_RETURN_IF_ERROR(ds_.RestoreTableRows(table_id, rows));
    }
    progress_.rows_restored += rows.size();
    reporter_.Tick(progress_, progress_.rows_restored);
    return OkStatus();
  }
  Status OnEnd() override { return RestoreSystemTables(); }

 private:
  Status RestoreSystemTables() {
    if (system_restored_) return OkStatus();
    system_restored_ = true;
    std::map<datastore::TableId, std::vector<sats::ByteSpan>> spans;
    for (const auto& [id, rows] : system_rows_)
      for (const auto& row : rows) spans[id].push_back(row);
    return ds_.RestoreSystemTables(spans);
  }

  datastore::Datastore& ds_;
  ProgressReporter& reporter_;
  RecoveryProgress progress_;
  std::map<datastore::TableId, std::vector<sats::Bytes>> system_rows_;
  bool system_restored_ = false;
};

Result<DatabaseState> OpenInMemory() {
  DatabaseState state;
  state.datastore = datastore::Datastore::Create();
  state.durability = std::make_unique<InMemoryDurability>();
  state.report.in_memory = true;
  return state;
}

}  // namespace

Result<DatabaseState> OpenDatabaseState(const DatabaseStateOptions& options) {
  if (options.dir.empty()) return OpenInMemory();
  const Clock::time_point start = Clock::now();
  FileSystem& fs = options.commitlog.file_system ? *options.commitlog.file_system : FileSystem::Posix();
  const std::string clog_dir = JoinPath(options.dir, std::string(kCommitlogDirName));
  const std::string snapshot_dir = JoinPath(options.dir, std::string(snapshot_format::kSnapshotsDirName));
  DatabaseState state;
  RecoveryReport& report = state.report;
  ProgressReporter reporter(options, start);
  auto context = [&](Error e) { return std::move(e.Prefix("opening database " + options.dir)); };

  // 1. The log, its tail verified and repaired.
  auto opened = Commitlog::Open(clog_dir, options.commitlog);
  if (!opened.ok()) return context(std::move(opened).error());
  std::unique_ptr<Commitlog> log = std::move(opened).value();
  report.commitlog = log->open_report();
  auto log_message = [&](const std::string& message) {
    if (options.durability.log) {
      options.durability.log(message);
    } else {
      std::fprintf(stderr, "recovery %s: %s\n", options.dir.c_str(), message.c_str());
    }
  };
  if (const auto& torn = report.commitlog.truncated_torn_tail)
    log_message("cut a torn last commit (never acknowledged): " + torn->reason);
  if (const auto& damage = report.commitlog.abandoned_damage)
    log_message("the last commit of a segment is damaged and was left in place; continuing in a new segment: " +
                damage->reason);
  if (const auto& cut = report.commitlog.repaired_corruption)
    log_message("operator truncation: the log was cut at transaction " + std::to_string(cut->tx_offset) +
                " (corrupt commit at byte " + std::to_string(cut->byte_position) + " of " + cut->segment_path + ")");
  const uint64_t log_end = log->next_tx_offset();
  const uint64_t log_start = log->min_committed_offset().value_or(log_end);
  report.open_log_time = Since(start);

  // 2. The newest usable snapshot.
  const Clock::time_point snapshot_start = Clock::now();
  auto snapshots = std::make_unique<SnapshotStore>(fs, snapshot_dir);
  if (Status s = snapshots->Open(); !s.ok()) return context(std::move(s).error());
  auto listed = snapshots->List();
  if (!listed.ok()) return context(std::move(listed).error());
  std::vector<uint64_t> offsets = std::move(listed).value();
  for (auto it = offsets.rbegin(); it != offsets.rend(); ++it) {
    const uint64_t offset = *it;
    if (offset >= log_end) {
      // Its transactions are not in the log (truncated or lost since): if kept, a later log would reach its
      // offset with a different history.
      if (Status s = snapshots->SetAside(offset); !s.ok()) return context(std::move(s).error());
      report.set_aside_snapshots.push_back(offset);
      report.skipped_snapshots.push_back("snapshot " + snapshots->PathOf(offset) + " is newer than the log, which ends at " +
                                         (log_end ? "transaction " + std::to_string(log_end - 1) : std::string("nothing")) +
                                         "; set aside as .invalid");
      continue;
    }
    if (report.snapshot_offset) continue;  // an older one, not needed
    if (offset + 1 < log_start) {
      report.skipped_snapshots.push_back("snapshot " + snapshots->PathOf(offset) + " ends before the log, which starts at " +
                                         std::to_string(log_start));
      continue;
    }
    auto ds = datastore::Datastore::Create();
    SnapshotLoader loader(*ds, reporter);
    auto loaded = snapshots->Read(offset, loader);
    if (!loaded.ok()) {
      report.skipped_snapshots.push_back(loaded.error().message());
      continue;
    }
    ds->set_next_tx_offset(offset + 1);
    report.snapshot_offset = offset;
    report.snapshot_rows = loaded->rows;
    state.datastore = std::move(ds);
  }
  if (!state.datastore) {
    if (log_start != 0)
      return context(Error(ErrorCode::kCorruption,
                           "the log in " + clog_dir + " starts at transaction " + std::to_string(log_start) +
                               " and no usable snapshot holds the transactions before it"));
    state.datastore = datastore::Datastore::Create();
  }
  for (const auto& reason : report.skipped_snapshots) log_message("skipped a snapshot: " + reason);
  report.snapshot_time = Since(snapshot_start);

  // 3. The log after the snapshot.
  const Clock::time_point replay_start = Clock::now();
  datastore::Datastore& ds = *state.datastore;
  report.replayed_from = ds.next_tx_offset();
  RecoveryProgress progress;
  progress.phase = RecoveryProgress::Phase::kReplay;
  progress.transactions_to_replay = log_end - report.replayed_from;
  if (report.replayed_from < log_end) {
    ReplayRowSizer sizer(ds);
    auto reader = log->ReadTransactions(report.replayed_from, sizer.AsRowSizeFn());
    if (!reader.ok()) return context(std::move(reader).error());
    for (;;) {
      sizer.BeginTransaction();
      auto more = reader->Next();
      if (!more.ok()) return context(std::move(more).error().Prefix("replaying " + clog_dir));
      if (!*more) break;
      Status applied = ds.Replay(ToReplayTx(reader->record()), reader->offset());
      if (!applied.ok()) return context(std::move(applied).error().Prefix("replaying " + clog_dir));
      ++progress.transactions_replayed;
      reporter.Tick(progress, progress.transactions_replayed);
    }
  }
  if (ds.next_tx_offset() != log_end)
    return context(Error(ErrorCode::kCorruption, "replaying " + clog_dir + " stopped before transaction " +
                                                     std::to_string(ds.next_tx_offset()) + " but the log ends at " +
                                                     std::to_string(log_end)));
  if (Status s = ds.FinishReplay(); !s.ok()) return context(std::move(s).error());
  report.transactions_replayed = progress.transactions_replayed;
  report.next_tx_offset = ds.next_tx_offset();
  report.replay_time = Since(replay_start);
  if (progress.transactions_replayed) reporter.Tick(progress, progress.transactions_replayed, /*force=*/true);

  // 4. Continue the log.
  LogDurabilityOptions durability_options = options.durability;
  durability_options.file_system = &fs;
  datastore::Datastore* source = state.datastore.get();
  state.durability = LogDurability::Start(std::move(log), std::move(snapshots),
                                          [source] { return source->TakeSnapshot(); }, std::move(durability_options));
  report.total_time = Since(start);
  return state;
}

}  // namespace stdb::durability
