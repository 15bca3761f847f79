// Test support: an in-memory stand-in for the server's side of the spacetime_10.x ABI, so the SDK and the
// example modules can run natively under GoogleTest.
//
// It defines every import of abi/host_imports.h and behaves as spec/module-abi.md §2 describes: tables built
// from the module's own description (decoded with src/sats), btree indexes answering point and range scans in
// key order, unique constraints (errno 12), sequences with the 0 trigger and the generated-values write-back,
// update by unique index (14, 15), set-semantics inserts, row iterators that hand out whole-row chunks with
// BUFFER_TOO_SMALL and -1 exhaustion, byte sources that free themselves when drained, and sinks. Rows are kept
// as BSATN and compared as decoded sats values.
//
// Like the real host, CallReducer runs a reducer as a transaction: a non-zero return rolls the tables back. It
// also records what a real host would trap on (a null pointer, an unknown handle, a closed iterator closed
// again) in violations(), which tests expect to stay empty.
//
// Thread-safety: none; one process-wide instance (the imports are free functions).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "module_def_view.h"
#include "sats/algebraic_value.h"
#include "sats/bsatn.h"
#include "sats/special_types.h"

namespace stdb::sdk_test {

struct LogRecord {
  uint32_t level = 0;
  std::optional<std::string> target;
  std::optional<std::string> filename;
  uint32_t line = 0;
  std::string message;
};

struct ReducerCall {
  int32_t code = 0;    // __call_reducer__'s return value
  std::string error;   // the error sink's contents
};

class FakeHost {
 public:
  static FakeHost& Get();

  // Forgets all state, then does what the host does for a new instance: the preinits in export-name order and
  // __describe_module__. Tables start empty.
  void LoadModule();
  const sats::Bytes& module_def_bytes() const { return module_def_bytes_; }
  const ModuleDefView& module_def() const { return module_def_; }

  // Calls __call_reducer__ with BSATN arguments inside a transaction (rolled back unless it returns 0).
  ReducerCall CallReducer(std::string_view name, const sats::Bytes& args, const sats::Identity& sender,
                          sats::u128 connection_id = 0, int64_t timestamp_micros = 0);
  ReducerCall CallReducerById(uint32_t id, const sats::Bytes& args, const sats::Identity& sender,
                              sats::u128 connection_id = 0, int64_t timestamp_micros = 0);

  // The rows of a table, decoded at its row type, in insertion order.
  std::vector<sats::AlgebraicValue> Rows(std::string_view table) const;
  // Inserts a row directly, bypassing the module (for preparing a scenario).
  void InsertRow(std::string_view table, const sats::AlgebraicValue& row);

  sats::Identity database_identity;
  // A chunk ends after the row that takes it over this many bytes (the host uses 32 KiB).
  size_t chunk_bytes = 32 * 1024;

  std::vector<LogRecord> logs;
  std::vector<std::string> violations;
  // Row iterators created and still open (neither exhausted nor closed).
  size_t open_iterators() const { return iterators_.size(); }
  size_t iterators_created = 0;
  // The largest buffer the module passed to row_iter_bsatn_advance, and how often it was too small.
  uint32_t largest_iter_buffer = 0;
  size_t buffer_too_small_count = 0;

  // --- the ABI (called by the extern "C" import definitions) -----------------------------------------------
  int32_t TableIdFromName(const uint8_t* name, uint32_t len, uint32_t* out);
  int32_t IndexIdFromName(const uint8_t* name, uint32_t len, uint32_t* out);
  int32_t RowCount(uint32_t table_id, uint64_t* out);
  int32_t TableScan(uint32_t table_id, uint32_t* out);
  int32_t IndexScanRange(uint32_t index_id, const uint8_t* prefix, uint32_t prefix_len, uint32_t prefix_elems,
                         const uint8_t* rstart, uint32_t rstart_len, const uint8_t* rend, uint32_t rend_len,
                         uint32_t* out, bool delete_matches);
  int32_t IndexScanPoint(uint32_t index_id, const uint8_t* point, uint32_t point_len, uint32_t* out,
                         bool delete_matches);
  int32_t DeleteAllByEq(uint32_t table_id, const uint8_t* rel, uint32_t rel_len, uint32_t* out);
  int32_t IterAdvance(uint32_t iter, uint8_t* buf, uint32_t* buf_len);
  int32_t IterClose(uint32_t iter);
  int32_t Insert(uint32_t table_id, uint8_t* row, uint32_t* row_len);
  int32_t Update(uint32_t table_id, uint32_t index_id, uint8_t* row, uint32_t* row_len);
  int32_t Clear(uint32_t table_id, uint64_t* out);
  int32_t SourceRead(uint32_t source, uint8_t* buf, uint32_t* buf_len);
  int32_t SourceRemaining(uint32_t source, uint32_t* out);
  int32_t SinkWrite(uint32_t sink, const uint8_t* buf, uint32_t* buf_len);
  void ConsoleLog(uint32_t level, const uint8_t* target, uint32_t target_len, const uint8_t* filename,
                  uint32_t filename_len, uint32_t line, const uint8_t* message, uint32_t message_len);
  uint32_t TimerStart(const uint8_t* name, uint32_t len);
  int32_t TimerEnd(uint32_t timer);
  void WriteIdentity(uint8_t* out);

  // Records a protocol violation and returns `errno_value`.
  int32_t Violation(std::string what, int32_t errno_value);

 private:
  struct Index {
    std::string name;
    uint32_t table = 0;
    std::vector<uint16_t> columns;
    bool unique = false;
  };
  struct Table {
    std::string name;
    sats::AlgebraicType row_type;  // a Ref into the module's typespace
    std::vector<sats::Bytes> rows;
    std::map<uint16_t, sats::i128> next_sequence_value;
  };
  struct Source {
    sats::Bytes bytes;
    size_t offset = 0;
  };

  Table* FindTable(uint32_t id);
  Index* FindIndex(uint32_t id);
  Result<sats::AlgebraicValue> DecodeRow(const Table& table, sats::ByteSpan bytes) const;
  // The key of a decoded row in an index: the column value, or a product of them.
  sats::AlgebraicValue Key(const Index& index, const sats::AlgebraicValue& row) const;
  sats::AlgebraicType ColumnType(const Table& table, uint16_t column) const;
  // Sorts matching row positions by key, then scans or deletes them.
  int32_t FinishScan(Table& table, const Index& index, std::vector<size_t> matches, uint32_t* out, bool delete_matches);
  uint32_t NewIterator(std::vector<sats::Bytes> rows);
  bool UniqueViolation(const Table& table, const sats::AlgebraicValue& row, std::optional<size_t> ignore) const;
  // Replaces sequence triggers in `row`; returns the BSATN of the generated values.
  sats::Bytes FillSequences(Table& table, sats::AlgebraicValue& row);
  uint32_t NewSource(sats::Bytes bytes);
  void EndCall();

  sats::Bytes module_def_bytes_;
  ModuleDefView module_def_;
  std::vector<Table> tables_;   // id = position + 1
  std::vector<Index> indexes_;  // id = position + 1
  std::map<uint32_t, std::deque<sats::Bytes>> iterators_;
  uint32_t next_iterator_ = 1;
  std::map<uint32_t, Source> sources_;
  std::map<uint32_t, sats::Bytes> sinks_;
  uint32_t next_handle_ = 1;
  std::map<uint32_t, std::string> timers_;
  uint32_t next_timer_ = 1;
};

// BSATN of a value (for building reducer arguments in tests).
inline sats::Bytes Encode(const sats::AlgebraicValue& value) { return sats::bsatn::EncodeValue(value); }

}  // namespace stdb::sdk_test
