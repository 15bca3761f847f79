// InstanceEnv: the host-side state one module instance's imports work on (spec/module-abi.md §1.4, §2.7).
//
// It holds the per-call handles of the ABI — byte sources (host→guest streams, ids from 1, never registered when
// empty, freed when drained), byte sinks (guest→host), row iterators (eager chunked scan results), console
// timers — and what the imports need from the database: the open transaction (null outside one: datastore calls
// then return NOT_IN_TRANSACTION), the database identity, the module log, and hooks for schedule tables.
//
// Thread-safety: owned by one instance and used only on its database's thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "datastore/mut_tx.h"
#include "host/module_logs.h"
#include "sats/special_types.h"

namespace stdb::host {

class InstanceEnv {
 public:
  // --- set by the owner ---
  datastore::MutTx* tx = nullptr;
  sats::Identity database_identity;
  ModuleLogs* logs = nullptr;
  std::string function_name;       // reducer being run, for log records
  sats::Timestamp call_timestamp;  // start time of the current call
  // Called after a row is inserted into or updated in a schedule table; returns an error with
  // kResourceExhausted when the schedule is too far in the future (errno 13).
  std::function<Status(table::TableId table, sats::ByteSpan row)> on_schedule_row;
  std::function<bool(table::TableId table)> is_schedule_table;
  // volatile_nonatomic_schedule_immediate(name, args).
  std::function<void(std::string name, sats::Bytes args)> schedule_immediate;

  // --- byte sources and sinks (reset after every export call) ---
  // Registers a source; an empty payload gets id 0.
  uint32_t AddSource(sats::Bytes bytes);
  struct Source {
    sats::Bytes bytes;
    size_t pos = 0;
  };
  Source* FindSource(uint32_t id);
  void FreeSource(uint32_t id);
  uint32_t NewSink();
  sats::Bytes* FindSink(uint32_t id);
  sats::Bytes TakeSink(uint32_t id);
  void ResetCallHandles();

  // --- row iterators (kept across calls; guests close them) ---
  struct RowIter {
    std::vector<sats::Bytes> chunks;
    size_t next = 0;
  };
  uint32_t AddIterator(std::vector<sats::Bytes> chunks);
  RowIter* FindIterator(uint32_t id);
  bool CloseIterator(uint32_t id);
  size_t open_iterators() const;

  // --- console timers ---
  uint32_t StartTimer(std::string name);
  // Returns the timer's name and elapsed time, removing it; nullopt for an unknown id.
  std::optional<std::pair<std::string, std::chrono::microseconds>> EndTimer(uint32_t id);

 private:
  std::vector<std::optional<Source>> sources_;  // id - 1
  std::vector<std::optional<sats::Bytes>> sinks_;
  std::vector<std::optional<RowIter>> iters_;  // slab: id - 1
  struct Timer {
    std::string name;
    std::chrono::steady_clock::time_point start;
  };
  std::vector<std::optional<Timer>> timers_;
};

// Splits rows into chunks the way the reference does: a new chunk starts after any row that takes the current
// chunk over 32 KiB.
class RowChunker {
 public:
  static constexpr size_t kChunkSize = 32 * 1024;
  void Add(sats::ByteSpan row);
  std::vector<sats::Bytes> Finish();

 private:
  std::vector<sats::Bytes> chunks_;
  sats::Bytes current_;
};

}  // namespace stdb::host
