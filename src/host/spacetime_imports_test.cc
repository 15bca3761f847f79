// Drives every spacetime_10.x import through a wasm module that re-exports them (testdata/abi_probe.wat), against
// a real datastore transaction: return codes, errno paths, traps, memory effects.
#include "host/spacetime_imports.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>

#include "host/abi_errno.h"

namespace stdb::host {
namespace {

using sats::AlgebraicType;
using sats::AlgebraicValue;

sats::Bytes ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return sats::Bytes(std::istreambuf_iterator<char>(in), {});
}

sats::Bytes PersonRow(uint32_t id, const std::string& name, uint8_t age) {
  return sats::bsatn::EncodeValue(AlgebraicValue::Product({AlgebraicValue::U32(id), AlgebraicValue::String(name), AlgebraicValue::U8(age)}));
}

class SpacetimeImportsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto engine = CreateWasmEngine();
    ASSERT_TRUE(engine.ok()) << engine.error().message();
    engine_ = std::move(*engine);
    auto module = engine_->Compile(ReadFile(std::string(STDB_WASM_TESTDATA_DIR) + "/abi_probe.wasm"));
    ASSERT_TRUE(module.ok()) << module.error().message();
    module_ = std::move(*module);
    ds_ = datastore::Datastore::Create();
    auto tx = *ds_->BeginMutTx();
    table::TableSchema s;
    s.name = "person";
    s.columns = {{"id", AlgebraicType::U32()}, {"name", AlgebraicType::String()}, {"age", AlgebraicType::U8()}};
    s.primary_key = 0;
    s.constraints.push_back({0, "person_id_key", {0}});
    s.indexes = {{0, "person_id_idx_btree", table::IndexAlgorithm::kBTree, {0}, true},
                 {0, "person_name_idx_btree", table::IndexAlgorithm::kBTree, {1}, false},
                 {0, "person_age_idx_hash", table::IndexAlgorithm::kHash, {2}, false},
                 {0, "person_name_age_idx_btree", table::IndexAlgorithm::kBTree, {1, 2}, false}};
    table::SequenceSchema seq;
    seq.name = "person_id_seq";
    s.sequences.push_back(seq);
    table_ = *tx->CreateTable(s);
    ASSERT_TRUE(tx->AddIndexAlias("person_id_idx_btree", "Person_id").ok());
    tx_ = std::move(tx);
    env_.tx = tx_.get();
    env_.logs = &logs_;
    env_.database_identity = *sats::Identity::FromHex("c200" + std::string(60, 'a'));
    auto instance = engine_->Instantiate(*module_, SpacetimeImports(&env_));
    ASSERT_TRUE(instance.ok()) << instance.error().message();
    instance_ = std::move(*instance);
    pk_ = tx_->IndexIdFromName("person_id_idx_btree")->second;
  }
  void TearDown() override {
    instance_.reset();
    module_.reset();
  }

  void Write(uint32_t ptr, sats::ByteSpan bytes) { ASSERT_TRUE(instance_->WriteMemory(ptr, bytes).ok()); }
  void WriteU32(uint32_t ptr, uint32_t v) { Write(ptr, sats::ByteSpan(reinterpret_cast<uint8_t*>(&v), 4)); }
  uint32_t ReadU32(uint32_t ptr) {
    uint32_t v;
    EXPECT_TRUE(instance_->ReadMemory(ptr, std::span<uint8_t>(reinterpret_cast<uint8_t*>(&v), 4)).ok());
    return v;
  }
  sats::Bytes Read(uint32_t ptr, uint32_t len) {
    sats::Bytes b(len);
    EXPECT_TRUE(instance_->ReadMemory(ptr, b).ok());
    return b;
  }
  // Calls an import through its re-export; returns its i32 result.
  int32_t Call(std::string_view name, std::initializer_list<int32_t> args) {
    std::vector<WasmValue> v;
    for (int32_t a : args) v.push_back(WasmValue::I32(a));
    CallResult r = instance_->Call(name, v);
    EXPECT_TRUE(r.ok()) << name << ": " << (r.ok() ? "" : r.error().message());
    return r.ok() && !r.values().empty() ? r.value().i32() : -999;
  }
  // Expects the import to trap; returns the message.
  std::string Trap(std::string_view name, std::initializer_list<int32_t> args) {
    std::vector<WasmValue> v;
    for (int32_t a : args) v.push_back(WasmValue::I32(a));
    CallResult r = instance_->Call(name, v);
    EXPECT_FALSE(r.ok()) << name << " did not trap";
    return r.ok() ? "" : r.error().message();
  }
  uint32_t InsertRow(uint32_t id, const std::string& name, uint8_t age) {
    sats::Bytes row = PersonRow(id, name, age);
    Write(2000, row);
    WriteU32(1000, uint32_t(row.size()));
    EXPECT_EQ(Call("datastore_insert_bsatn", {int32_t(table_), 2000, 1000}), 0);
    return ReadU32(1000);
  }
  // Writes a Bound<u32>; returns its length.
  uint32_t WriteBound(uint32_t ptr, uint8_t tag, uint32_t v) {
    sats::Bytes b{tag};
    if (tag < 2) b.insert(b.end(), reinterpret_cast<uint8_t*>(&v), reinterpret_cast<uint8_t*>(&v) + 4);
    Write(ptr, b);
    return uint32_t(b.size());
  }
  // Reads an iterator to the end with a large buffer; returns the concatenated rows.
  sats::Bytes Drain(uint32_t iter) {
    sats::Bytes all;
    while (true) {
      WriteU32(1000, 60000);
      int32_t rc = Call("row_iter_bsatn_advance", {int32_t(iter), 100000, 1000});
      sats::Bytes chunk = Read(100000, ReadU32(1000));
      all.insert(all.end(), chunk.begin(), chunk.end());
      if (rc == -1) return all;
      EXPECT_EQ(rc, 0);
    }
  }

  std::unique_ptr<WasmEngine> engine_;
  std::unique_ptr<WasmModule> module_;
  std::unique_ptr<WasmInstance> instance_;
  std::unique_ptr<datastore::Datastore> ds_;
  std::unique_ptr<datastore::MutTx> tx_;
  ModuleLogs logs_;
  InstanceEnv env_;
  table::TableId table_ = 0;
  table::IndexId pk_ = 0;
};

TEST_F(SpacetimeImportsTest, NameLookupsCanonicalAliasAndErrors) {
  Write(100, sats::AsBytes("person"));
  EXPECT_EQ(Call("table_id_from_name", {100, 6, 200}), 0);
  EXPECT_EQ(ReadU32(200), table_);
  Write(100, sats::AsBytes("nobody"));
  EXPECT_EQ(Call("table_id_from_name", {100, 6, 200}), abi::kNoSuchTable);
  Write(100, sats::AsBytes("Person_id"));
  EXPECT_EQ(Call("index_id_from_name", {100, 9, 200}), 0);
  EXPECT_EQ(ReadU32(200), pk_);
  EXPECT_EQ(Call("index_id_from_name", {100, 3, 200}), abi::kNoSuchIndex);
  env_.tx = nullptr;
  EXPECT_EQ(Call("table_id_from_name", {100, 6, 200}), abi::kNotInTransaction);
}

TEST_F(SpacetimeImportsTest, MemoryMisuseTraps) {
  EXPECT_NE(Trap("table_id_from_name", {0, 0, 200}).find("null pointer"), std::string::npos);
  Write(100, sats::AsBytes("person"));
  EXPECT_NE(Trap("table_id_from_name", {100, 6, 0}).find("null pointer"), std::string::npos);
  Trap("table_id_from_name", {4 * 65536 - 2, 6, 200});
  Write(100, sats::Bytes{0xff, 0xfe});
  EXPECT_NE(Trap("table_id_from_name", {100, 2, 200}).find("UTF-8"), std::string::npos);
}

TEST_F(SpacetimeImportsTest, InsertWritesBackGeneratedIdsAndReportsErrnos) {
  sats::Bytes row = PersonRow(0, "bob", 30);
  Write(2000, row);
  WriteU32(1000, uint32_t(row.size()));
  EXPECT_EQ(Call("datastore_insert_bsatn", {int32_t(table_), 2000, 1000}), 0);
  EXPECT_EQ(ReadU32(1000), 4u);  // one u32 generated
  EXPECT_EQ(ReadU32(2000), 1u);
  // Identical explicit row: set semantics, success, nothing generated.
  row = PersonRow(1, "bob", 30);
  Write(2000, row);
  WriteU32(1000, uint32_t(row.size()));
  EXPECT_EQ(Call("datastore_insert_bsatn", {int32_t(table_), 2000, 1000}), 0);
  EXPECT_EQ(ReadU32(1000), 0u);
  // Same key, different row.
  row = PersonRow(1, "eve", 30);
  Write(2000, row);
  WriteU32(1000, uint32_t(row.size()));
  EXPECT_EQ(Call("datastore_insert_bsatn", {int32_t(table_), 2000, 1000}), abi::kUniqueAlreadyExists);
  WriteU32(1000, uint32_t(row.size()) - 1);
  EXPECT_EQ(Call("datastore_insert_bsatn", {int32_t(table_), 2000, 1000}), abi::kBsatnDecodeError);
  WriteU32(1000, uint32_t(row.size()));
  EXPECT_EQ(Call("datastore_insert_bsatn", {999999, 2000, 1000}), abi::kNoSuchTable);
  EXPECT_EQ(Call("datastore_table_row_count", {int32_t(table_), 300}), 0);
  EXPECT_EQ(ReadU32(300), 1u);
}

TEST_F(SpacetimeImportsTest, TableScanInChunksWithBufferTooSmall) {
  std::string name(500, 'x');
  for (int i = 0; i < 200; ++i) InsertRow(0, name, uint8_t(i));  // 200 rows of ~509 bytes: several 32 KiB chunks
  EXPECT_EQ(Call("datastore_table_scan_bsatn", {int32_t(table_), 300}), 0);
  uint32_t iter = ReadU32(300);
  // Too small for one chunk: BUFFER_TOO_SMALL with the size needed.
  WriteU32(1000, 100);
  EXPECT_EQ(Call("row_iter_bsatn_advance", {int32_t(iter), 100000, 1000}), abi::kBufferTooSmall);
  uint32_t needed = ReadU32(1000);
  EXPECT_GT(needed, 32u * 1024);
  WriteU32(1000, needed);
  EXPECT_EQ(Call("row_iter_bsatn_advance", {int32_t(iter), 100000, 1000}), 0);
  EXPECT_EQ(ReadU32(1000), needed);
  sats::Bytes rest = Drain(iter);
  EXPECT_EQ(needed + rest.size(), 200u * PersonRow(1, name, 1).size());
  // Exhausted iterators are freed.
  EXPECT_EQ(Call("row_iter_bsatn_close", {int32_t(iter)}), abi::kNoSuchIter);
  EXPECT_EQ(env_.open_iterators(), 0u);
}

TEST_F(SpacetimeImportsTest, IndexRangePointAndDeletes) {
  for (uint32_t i = 1; i <= 10; ++i) InsertRow(i, i % 2 ? "odd" : "even", uint8_t(i % 3));
  // pk in [3, 6): prefix_elems 0 with a null prefix pointer is accepted.
  uint32_t lo = WriteBound(400, 0, 3), hi = WriteBound(420, 1, 6);
  EXPECT_EQ(Call("datastore_index_scan_range_bsatn", {int32_t(pk_), 0, 0, 0, 400, int32_t(lo), 420, int32_t(hi), 300}), 0);
  sats::Bytes rows = Drain(ReadU32(300));
  sats::Bytes want;
  for (uint32_t i = 3; i < 6; ++i) {
    auto r = PersonRow(i, i % 2 ? "odd" : "even", uint8_t(i % 3));
    want.insert(want.end(), r.begin(), r.end());
  }
  EXPECT_EQ(rows, want);
  // The deprecated alias behaves the same.
  EXPECT_EQ(Call("datastore_btree_scan_bsatn", {int32_t(pk_), 0, 0, 0, 400, int32_t(lo), 420, int32_t(hi), 300}), 0);
  EXPECT_EQ(Drain(ReadU32(300)), want);
  // Hash indexes refuse ranges, even point-like ones.
  uint32_t hash = tx_->IndexIdFromName("person_age_idx_hash")->second;
  EXPECT_EQ(Call("datastore_index_scan_range_bsatn", {int32_t(hash), 0, 0, 0, 400, int32_t(lo), 420, int32_t(hi), 300}), abi::kWrongIndexAlgo);
  // A bad bound tag is a decode error; so is a prefix covering every key column.
  Write(440, sats::Bytes{7});
  EXPECT_EQ(Call("datastore_index_scan_range_bsatn", {int32_t(pk_), 0, 0, 0, 440, 1, 420, int32_t(hi), 300}), abi::kBsatnDecodeError);
  EXPECT_EQ(Call("datastore_index_scan_range_bsatn", {int32_t(pk_), 500, 4, 1, 400, int32_t(lo), 420, int32_t(hi), 300}), abi::kBsatnDecodeError);
  // Multi-column index: prefix name = "odd", age in [1, 2].
  uint32_t name_age = tx_->IndexIdFromName("person_name_age_idx_btree")->second;
  sats::Bytes prefix = sats::bsatn::EncodeValue(AlgebraicValue::String("odd"));
  Write(600, prefix);
  Write(700, sats::Bytes{0, 1});
  Write(710, sats::Bytes{0, 2});
  EXPECT_EQ(Call("datastore_index_scan_range_bsatn", {int32_t(name_age), 600, int32_t(prefix.size()), 1, 700, 2, 710, 2, 300}), 0);
  size_t n = 0;
  sats::Bytes got = Drain(ReadU32(300));
  for (uint32_t i = 1; i <= 10; i += 2)
    if (i % 3 >= 1) n += PersonRow(i, "odd", uint8_t(i % 3)).size();
  EXPECT_EQ(got.size(), n);
  // Point scan (10.4) on the hash index works.
  Write(800, sats::Bytes{2});
  EXPECT_EQ(Call("datastore_index_scan_point_bsatn", {int32_t(hash), 800, 1, 300}), 0);
  EXPECT_EQ(Drain(ReadU32(300)).size(), 2 * PersonRow(2, "even", 2).size() + PersonRow(5, "odd", 2).size());  // ids 2, 5, 8
  // Delete by point and by range report counts.
  EXPECT_EQ(Call("datastore_delete_by_index_scan_point_bsatn", {int32_t(hash), 800, 1, 300}), 0);
  EXPECT_EQ(ReadU32(300), 3u);
  EXPECT_EQ(Call("datastore_delete_by_index_scan_range_bsatn", {int32_t(pk_), 0, 0, 0, 400, int32_t(lo), 420, int32_t(hi), 300}), 0);
  EXPECT_EQ(ReadU32(300), 2u);  // 3 and 4 (5 was already deleted)
  EXPECT_EQ(tx_->RowCount(table_), 5u);
  EXPECT_EQ(Call("datastore_index_scan_point_bsatn", {424242, 800, 1, 300}), abi::kNoSuchIndex);
}

TEST_F(SpacetimeImportsTest, DeleteAllByEqUpdateAndClear) {
  for (uint32_t i = 1; i <= 4; ++i) InsertRow(i, "p", 1);
  sats::Bytes rel;
  sats::bsatn::Writer w(rel);
  w.U32(3);
  for (auto r : {PersonRow(1, "p", 1), PersonRow(2, "p", 1), PersonRow(9, "absent", 1)}) w.Raw(r.data(), r.size());
  Write(3000, rel);
  EXPECT_EQ(Call("datastore_delete_all_by_eq_bsatn", {int32_t(table_), 3000, int32_t(rel.size()), 300}), 0);
  EXPECT_EQ(ReadU32(300), 2u);
  EXPECT_EQ(Call("datastore_delete_all_by_eq_bsatn", {int32_t(table_), 3000, int32_t(rel.size()) - 1, 300}), abi::kBsatnDecodeError);
  // Update through the unique pk index.
  sats::Bytes row = PersonRow(3, "renamed", 7);
  Write(2000, row);
  WriteU32(1000, uint32_t(row.size()));
  EXPECT_EQ(Call("datastore_update_bsatn", {int32_t(table_), int32_t(pk_), 2000, 1000}), 0);
  row = PersonRow(77, "ghost", 7);
  Write(2000, row);
  WriteU32(1000, uint32_t(row.size()));
  EXPECT_EQ(Call("datastore_update_bsatn", {int32_t(table_), int32_t(pk_), 2000, 1000}), abi::kNoSuchRow);
  uint32_t by_name = tx_->IndexIdFromName("person_name_idx_btree")->second;
  EXPECT_EQ(Call("datastore_update_bsatn", {int32_t(table_), int32_t(by_name), 2000, 1000}), abi::kIndexNotUnique);
  EXPECT_EQ(Call("datastore_clear", {int32_t(table_), 300}), 0);
  uint64_t cleared;
  std::memcpy(&cleared, Read(300, 8).data(), 8);
  EXPECT_EQ(cleared, 2u);
}

TEST_F(SpacetimeImportsTest, BytesSourcesAndSinks) {
  uint32_t src = env_.AddSource(sats::Bytes{1, 2, 3, 4, 5});
  EXPECT_EQ(env_.AddSource({}), 0u);  // empty payloads are never registered
  EXPECT_EQ(Call("bytes_source_remaining_length", {int32_t(src), 300}), 0);
  EXPECT_EQ(ReadU32(300), 5u);
  WriteU32(1000, 3);
  EXPECT_EQ(Call("bytes_source_read", {int32_t(src), 2000, 1000}), 0);
  EXPECT_EQ(Read(2000, 3), (sats::Bytes{1, 2, 3}));
  WriteU32(1000, 10);
  EXPECT_EQ(Call("bytes_source_read", {int32_t(src), 2000, 1000}), -1);  // drained and freed
  EXPECT_EQ(ReadU32(1000), 2u);
  EXPECT_EQ(Call("bytes_source_read", {int32_t(src), 2000, 1000}), abi::kNoSuchBytes);
  EXPECT_EQ(Call("bytes_source_read", {0, 2000, 1000}), abi::kNoSuchBytes);
  uint32_t sink = env_.NewSink();
  Write(2000, sats::AsBytes("hello"));
  WriteU32(1000, 5);
  EXPECT_EQ(Call("bytes_sink_write", {int32_t(sink), 2000, 1000}), 0);
  EXPECT_EQ(env_.TakeSink(sink), sats::Bytes(sats::AsBytes("hello").begin(), sats::AsBytes("hello").end()));
  EXPECT_EQ(Call("bytes_sink_write", {99, 2000, 1000}), abi::kNoSuchBytes);
}

TEST_F(SpacetimeImportsTest, ConsoleLogTimersAndIdentity) {
  Write(100, sats::AsBytes("target"));
  Write(200, sats::AsBytes("hi \xff there"));
  Call("console_log", {1, 100, 6, 0, 0, 42, 200, 10});
  // Invalid pointers drop the record instead of trapping.
  Call("console_log", {2, 100, 6, 0, 0, -1, 4 * 65536 + 5, 10});
  auto tail = logs_.Tail(0);
  ASSERT_EQ(tail.size(), 1u);
  EXPECT_EQ(tail[0].level, LogLevel::kWarn);
  EXPECT_EQ(tail[0].target, "target");
  EXPECT_FALSE(tail[0].filename.has_value());
  EXPECT_EQ(tail[0].line_number, 42u);
  EXPECT_EQ(tail[0].message, "hi \xEF\xBF\xBD there");
  Write(300, sats::AsBytes("span"));
  int32_t timer = Call("console_timer_start", {300, 4});
  EXPECT_GT(timer, 0);
  EXPECT_EQ(Call("console_timer_end", {timer}), 0);
  EXPECT_EQ(Call("console_timer_end", {timer}), abi::kNoSuchConsoleTimer);
  EXPECT_NE(logs_.Tail(1)[0].message.find("Timing span \"span\""), std::string::npos);
  Call("identity", {500});
  auto le = env_.database_identity.le_bytes();
  EXPECT_EQ(Read(500, 32), sats::Bytes(le.begin(), le.end()));
}

TEST_F(SpacetimeImportsTest, ProceduresAreRefusedLikeInAReducer) {
  EXPECT_EQ(Call("procedure_start_mut_tx", {300}), abi::kWouldBlockTransaction);
  EXPECT_EQ(Call("procedure_commit_mut_tx", {}), abi::kTransactionNotAnonymous);
  EXPECT_NE(Trap("procedure_http_request", {100, 4, 200, 0, 300}).find("not available"), std::string::npos);
}

TEST(CheckModuleImports, VersionRules) {
  WasmModuleInfo info;
  EXPECT_FALSE(CheckModuleImports(info).ok());  // nothing imported
  info.imports.push_back({"spacetime_10.0", "identity", ExternKind::kFunction, {}});
  info.imports.push_back({"spacetime_10.4", "datastore_clear", ExternKind::kFunction, {}});
  auto v = CheckModuleImports(info);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->minor, 4u);
  info.imports.push_back({"wasi_snapshot_preview1", "fd_write", ExternKind::kFunction, {}});
  auto wasi = CheckModuleImports(info);
  ASSERT_FALSE(wasi.ok());
  EXPECT_NE(wasi.error().message().find("wasi_snapshot_preview1.fd_write"), std::string::npos);
  info.imports.pop_back();
  info.imports.push_back({"spacetime_10.9", "x", ExternKind::kFunction, {}});
  EXPECT_FALSE(CheckModuleImports(info).ok());
  info.imports.back() = {"spacetime_9.0", "x", ExternKind::kFunction, {}};
  EXPECT_NE(CheckModuleImports(info).error().message().find("major"), std::string::npos);
  info.imports.back() = {"spacetime_10", "x", ExternKind::kFunction, {}};
  EXPECT_NE(CheckModuleImports(info).error().message().find("malformed"), std::string::npos);
}

}  // namespace
}  // namespace stdb::host
