// The kill test: a child process commits transactions as fast as it can (inserts, updates, deletes,
// auto-increment ids, truncates) through a Datastore and LogDurability on the real file system, reporting every
// offset acknowledged as durable to the parent over a pipe. The parent SIGKILLs it at a random moment — while
// it recovers, commits, writes a snapshot or compresses a segment — reopens the replica and checks:
// - every acknowledged transaction is there;
// - nothing is half-applied: the state equals the workload's model replayed up to the recovered offset;
// - auto-increment values never repeat across restarts.
// 50 cycles by default; STDB_KILL_CYCLES=<n> runs more.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <algorithm>
#include <filesystem>
#include <random>
#include <set>

#include "datastore/test_util.h"
#include "durability/recovery.h"
#include "durability/testing/bank_workload.h"

namespace stdb::durability {
namespace {

using datastore::TxData;
using datastore::testing::StateOf;
using testing::BankWorkload;
using Clock = std::chrono::steady_clock;

DatabaseStateOptions Options(const std::string& dir) {
  DatabaseStateOptions o;
  o.dir = dir;
  o.commitlog.max_segment_size = 64 * 1024;  // segment rolls, snapshots and compression every few hundred commits
  o.durability.snapshot_every = 1000;
  o.durability.queue_capacity = 2048;
  o.durability.log = [](const std::string&) {};
  return o;
}

void WriteAll(int fd, const void* data, size_t n) {
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) ::_exit(4);
    p += w;
    n -= size_t(w);
  }
}

// The child: recover, then commit forever. Each acknowledged offset goes to `fd` as 8 bytes. Never returns.
[[noreturn]] void RunChild(const std::string& dir, uint64_t seed, int fd) {
  auto state = OpenDatabaseState(Options(dir));
  if (!state.ok()) {
    std::fprintf(stderr, "kill test child: %s\n", state.error().message().c_str());
    ::_exit(3);
  }
  datastore::Datastore& ds = *state->datastore;
  Durability& durability = *state->durability;
  BankWorkload workload(seed);
  auto append = [&](Result<TxData> data) {
    if (!data.ok()) {
      std::fprintf(stderr, "kill test child: %s\n", data.error().message().c_str());
      ::_exit(5);
    }
    if (!data->tx_offset) return;
    uint64_t offset = *data->tx_offset;
    durability.Append(std::make_shared<TxData>(std::move(*data)));
    durability.WhenDurable(offset, [fd, offset] { WriteAll(fd, &offset, sizeof offset); });
  };
  append(workload.Attach(ds));
  for (;;) append(workload.Step(ds));
}

// Which tables of two states differ, and how (gtest's dump of whole states is unreadable).
std::string StateDiff(const datastore::Datastore& actual, const datastore::Datastore& expected) {
  auto a = StateOf(actual), e = StateOf(expected);
  std::string out;
  for (const auto& [name, rows] : e) {
    auto it = a.find(name);
    if (it == a.end()) {
      out += " table " + name + " is missing;";
      continue;
    }
    if (it->second != rows) {
      size_t missing = 0, extra = 0;
      for (const auto& r : rows) missing += !std::binary_search(it->second.begin(), it->second.end(), r);
      for (const auto& r : it->second) extra += !std::binary_search(rows.begin(), rows.end(), r);
      out += " table " + name + ": " + std::to_string(it->second.size()) + " rows instead of " +
             std::to_string(rows.size()) + " (" + std::to_string(missing) + " missing, " + std::to_string(extra) +
             " unexpected);";
    }
  }
  for (const auto& [name, rows] : a)
    if (!e.count(name)) out += " unexpected table " + name + ";";
  return out;
}

struct CycleOutcome {
  std::optional<uint64_t> acknowledged;  // the highest offset the child reported durable
  int status = 0;
};

// Forks the child, lets it run until `kill_at` (or `after_first_ack` after its first acknowledgement), kills it and
// collects what it reported.
CycleOutcome RunAndKill(const std::string& dir, uint64_t seed, std::chrono::microseconds delay, bool after_first_ack) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    RunChild(dir, seed, fds[1]);
  }
  ::close(fds[1]);
  CycleOutcome out;
  uint8_t buffer[8192];
  size_t pending = 0;  // bytes of an incomplete offset carried over
  auto consume = [&](ssize_t n) {
    pending += size_t(n);
    size_t whole = pending / 8 * 8;
    for (size_t i = 0; i < whole; i += 8) {
      uint64_t offset;
      std::memcpy(&offset, buffer + i, 8);
      // The worker reports in offset order, but a callback registered for an offset that is already durable
      // runs at once on the committing thread, so two reports may cross.
      if (!out.acknowledged || offset > *out.acknowledged) out.acknowledged = offset;
    }
    std::memmove(buffer, buffer + whole, pending - whole);
    pending -= whole;
  };
  Clock::time_point deadline = Clock::now() + delay;
  bool armed = !after_first_ack;
  const Clock::time_point give_up = Clock::now() + std::chrono::seconds(20);
  for (;;) {
    Clock::time_point now = Clock::now();
    if ((armed && now >= deadline) || now >= give_up) break;
    int timeout_ms = armed ? int(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count()) : 5;
    pollfd p{fds[0], POLLIN, 0};
    if (::poll(&p, 1, std::max(timeout_ms, 0)) > 0) {
      ssize_t n = ::read(fds[0], buffer + pending, sizeof buffer - pending);
      if (n <= 0) break;  // the child died on its own
      consume(n);
      if (!armed && out.acknowledged) {
        armed = true;
        deadline = Clock::now() + delay;
      }
    }
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &out.status, 0);
  // What the child wrote before it died was acknowledged before it died.
  for (;;) {
    ssize_t n = ::read(fds[0], buffer + pending, sizeof buffer - pending);
    if (n <= 0) break;
    consume(n);
  }
  ::close(fds[0]);
  return out;
}

TEST(KillTest, AcknowledgedTransactionsSurviveSigkillAtRandomMoments) {
  int cycles = 50;
  if (const char* env = std::getenv("STDB_KILL_CYCLES")) cycles = std::max(1, std::atoi(env));
  std::string dir = (std::filesystem::temp_directory_path() / "stdb_kill_test_XXXXXX").string();
  ASSERT_NE(::mkdtemp(dir.data()), nullptr);
  std::mt19937_64 rng(std::random_device{}());
  const uint64_t test_seed = rng();
  rng.seed(test_seed);
  SCOPED_TRACE("seed " + std::to_string(test_seed) + ", replica " + dir);

  std::set<std::pair<datastore::TableId, uint64_t>> ever_generated;
  uint64_t acknowledged_total = 0, snapshots_loaded = 0, torn_tails = 0;
  for (int cycle = 0; cycle < cycles; ++cycle) {
    SCOPED_TRACE("cycle " + std::to_string(cycle));
    // The state the child will start from, recovered by the parent: the model's starting point.
    auto model = OpenDatabaseState(Options(dir));
    ASSERT_TRUE(model.ok()) << model.error().message();
    model->durability->Close();
    const uint64_t start = model->datastore->next_tx_offset();

    const uint64_t seed = rng();
    const bool after_first_ack = rng() % 2 == 0;
    const auto delay = std::chrono::microseconds(rng() % (after_first_ack ? 30000 : 60000));
    CycleOutcome outcome = RunAndKill(dir, seed, delay, after_first_ack);
    ASSERT_TRUE(WIFSIGNALED(outcome.status) && WTERMSIG(outcome.status) == SIGKILL)
        << "the child ended by itself, status " << outcome.status;

    auto recovered = OpenDatabaseState(Options(dir));
    ASSERT_TRUE(recovered.ok()) << recovered.error().message();
    const uint64_t end = recovered->report.next_tx_offset;
    ASSERT_GE(end, start) << "transactions recovered before this cycle were lost";
    if (outcome.acknowledged) {
      ASSERT_GT(end, *outcome.acknowledged) << "transaction " << *outcome.acknowledged << " was acknowledged, then lost";
      acknowledged_total += *outcome.acknowledged + 1 - start;
    }
    // Replay the child's workload on the model up to the recovered offset (Attach's table creation is the
    // child's first transaction, so it too happens only if that transaction survived).
    BankWorkload replay(seed);
    if (end > start) {
      ASSERT_TRUE(replay.Attach(*model->datastore).ok());
    }
    while (model->datastore->next_tx_offset() < end) {
      auto step = replay.Step(*model->datastore);
      ASSERT_TRUE(step.ok()) << step.error().message();
      for (const auto& v : replay.generated())
        ASSERT_TRUE(ever_generated.insert(v).second)
            << "sequence value " << v.second << " of table " << v.first << " was handed out twice";
    }
    ASSERT_EQ(StateDiff(*recovered->datastore, *model->datastore), "")
        << "state at offset " << end << " (cycle started at " << start << ", acknowledged "
        << (outcome.acknowledged ? std::to_string(*outcome.acknowledged) : "nothing") << ", snapshot "
        << (recovered->report.snapshot_offset ? std::to_string(*recovered->report.snapshot_offset) : "none") << ")";
    snapshots_loaded += recovered->report.snapshot_offset.has_value();
    torn_tails += recovered->report.commitlog.truncated_torn_tail.has_value();
    recovered->durability->Close();
  }
  const uint64_t final_offset = [&] {
    auto last = OpenDatabaseState(Options(dir));
    return last.ok() ? last->report.next_tx_offset : 0;
  }();
  std::printf("kill test: %d cycles, %llu transactions in the log, %llu acknowledged by killed children, "
              "%llu recoveries from a snapshot, %llu torn tails cut\n",
              cycles, (unsigned long long)final_offset, (unsigned long long)acknowledged_total,
              (unsigned long long)snapshots_loaded, (unsigned long long)torn_tails);
  if (!HasFailure()) std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace stdb::durability
