// Table<Row> and TableAccessor<Row>: whole-table operations, what `ctx.db[table]` returns.
//
//   Row inserted = ctx.db[person].insert(Person{0, "Ada"});     // generated columns filled in
//   auto r = ctx.db[person].try_insert(p);  if (r.is_err()) ... r.err().message
//   for (const Person& p : ctx.db[person]) ...                   // a table scan
//   ctx.db[person].count();  ctx.db[person].delete_by_value(p);  ctx.db[person].clear();
//
// insert: the row's BSATN goes to datastore_insert_bsatn; an auto-increment column holding 0 is the host's cue to
// take the next sequence value, and on success the host writes back just the generated values, in column order,
// over the row buffer (spec/module-abi.md §2.7). The SDK reads them into the zero-valued auto-increment columns
// of a copy of the row and returns it. Inserting a row equal to an existing one is a successful no-op (set
// semantics). insert() traps on any failure; try_insert() reports it.
//
// Thread-safety: none; a module instance is single-threaded.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "spacetimedb/abi/host_imports.h"
#include "spacetimedb/abi/status.h"
#include "spacetimedb/bsatn/traits.h"
#include "spacetimedb/internal/host_calls.h"
#include "spacetimedb/internal/module_builder.h"
#include "spacetimedb/internal/struct_fields.h"
#include "spacetimedb/logger.h"
#include "spacetimedb/row_iterator.h"

namespace SpacetimeDB {

enum class InsertErrorType {
  UniqueConstraintViolation,
  AutoIncOverflow,
  ScheduleAtDelayTooLong,
  Other,
};

struct InsertError {
  InsertErrorType type;
  Status status_code;
  std::string message;
};

template <typename Row>
class InsertResult {
 public:
  InsertResult(Row row) : result_(std::in_place_index<0>, std::move(row)) {}           // NOLINT: implicit
  InsertResult(InsertError error) : result_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit

  bool is_ok() const { return result_.index() == 0; }
  bool is_err() const { return result_.index() == 1; }
  // Preconditions: is_ok() / is_err().
  const Row& ok() const { return std::get<0>(result_); }
  Row&& take_ok() { return std::move(std::get<0>(result_)); }
  const InsertError& err() const { return std::get<1>(result_); }

 private:
  std::variant<Row, InsertError> result_;
};

namespace Internal {

// Table scans start with a larger buffer than index lookups, which usually return a row or two.
inline constexpr size_t kTableScanBufferBytes = 64 * 1024;
inline constexpr size_t kIndexScanBufferBytes = 4 * 1024;

// The row with the values the host generated for its auto-increment columns (see the header comment).
template <typename Row>
Row WithGeneratedColumns(const Row& row, std::string_view table_name, const uint8_t* generated, size_t size) {
  Row out = row;
  if (size == 0) return out;
  const std::vector<uint16_t>& sequence_columns = ModuleBuilder::instance().SequenceColumns(table_name);
  bsatn::Reader reader(generated, size);
  StructFields<Row>::for_each(out, [&](size_t column, auto& field) {
    using Field = std::remove_cvref_t<decltype(field)>;
    if constexpr (AutoIncrementable<Field>) {
      const bool is_sequence =
          std::find(sequence_columns.begin(), sequence_columns.end(), column) != sequence_columns.end();
      if (is_sequence && IsSequenceTrigger(field) && !reader.is_eos()) field = bsatn::deserialize<Field>(reader);
    }
  });
  return out;
}

InsertError MakeInsertError(int32_t status);

// A row buffer whose data() is never null, since the host traps on a null pointer even for length 0.
template <typename Row>
std::vector<uint8_t> RowBuffer(const Row& row) {
  std::vector<uint8_t> bytes = bsatn::to_bytes(row);
  bytes.reserve(bytes.size() + 1);
  return bytes;
}

}  // namespace Internal

template <typename Row>
class Table {
 public:
  Table(TableId id, std::string_view name) : id_(id), name_(name) {}

  TableId id() const { return id_; }

  Row insert(const Row& row) {
    InsertResult<Row> result = try_insert(row);
    if (result.is_err()) fatal_error("insert into " + std::string(name_) + " failed: " + result.err().message);
    return result.take_ok();
  }

  InsertResult<Row> try_insert(const Row& row) {
    std::vector<uint8_t> buffer = Internal::RowBuffer(row);
    uint32_t length = static_cast<uint32_t>(buffer.size());
    const int32_t status = abi::datastore_insert_bsatn(id_.inner, buffer.data(), &length);
    if (status != 0) return Internal::MakeInsertError(status);
    return Internal::WithGeneratedColumns(row, name_, buffer.data(), length);
  }

  // Deletes every row equal to one of `rows`; returns how many were deleted.
  uint32_t delete_all_by_eq(const std::vector<Row>& rows) {
    std::vector<uint8_t> relation = bsatn::to_bytes(rows);
    uint32_t deleted = 0;
    Internal::CheckHostCall(abi::datastore_delete_all_by_eq_bsatn(id_.inner, relation.data(),
                                                                  static_cast<uint32_t>(relation.size()), &deleted),
                            "datastore_delete_all_by_eq_bsatn");
    return deleted;
  }
  bool delete_by_value(const Row& row) { return delete_all_by_eq(std::vector<Row>{row}) > 0; }

  // Replaces the row whose key in the unique index `index` equals `row`'s; nullopt if there is none.
  std::optional<Row> update_by_index(IndexId index, const Row& row) {
    std::vector<uint8_t> buffer = Internal::RowBuffer(row);
    uint32_t length = static_cast<uint32_t>(buffer.size());
    const int32_t status = abi::datastore_update_bsatn(id_.inner, index.inner, buffer.data(), &length);
    if (status == StatusCode::NO_SUCH_ROW.inner) return std::nullopt;
    Internal::CheckHostCall(status, "datastore_update_bsatn");
    return Internal::WithGeneratedColumns(row, name_, buffer.data(), length);
  }

  uint64_t count() {
    uint64_t n = 0;
    Internal::CheckHostCall(abi::datastore_table_row_count(id_.inner, &n), "datastore_table_row_count");
    return n;
  }
  bool empty() { return count() == 0; }

  // Deletes every row; returns how many there were.
  uint64_t clear() {
    uint64_t n = 0;
    Internal::CheckHostCall(abi::datastore_clear(id_.inner, &n), "datastore_clear");
    return n;
  }

  RowRange<Row> iter() {
    uint32_t iter = 0;
    Internal::CheckHostCall(abi::datastore_table_scan_bsatn(id_.inner, &iter), "datastore_table_scan_bsatn");
    return RowRange<Row>(RowIter(iter), Internal::kTableScanBufferBytes);
  }
  RowIterator<Row> begin() { return iter().begin(); }
  RowIterator<Row> end() { return RowIterator<Row>(); }

 private:
  TableId id_;
  std::string_view name_;
};

// What ctx.db[table] returns: a table by name, its id resolved (and cached) on first use.
template <typename Row>
class TableAccessor {
 public:
  TableAccessor() = default;
  explicit TableAccessor(std::string_view table_name) : table_name_(table_name) {}

  Table<Row> get_table() const { return Table<Row>(Internal::ResolveTableId(table_name_), table_name_); }
  Table<Row> table() const { return get_table(); }
  std::string_view name() const { return table_name_; }

  Row insert(const Row& row) const { return get_table().insert(row); }
  InsertResult<Row> try_insert(const Row& row) const { return get_table().try_insert(row); }
  // Deletes the rows equal to `row` (0 or 1, tables being sets); returns how many were deleted.
  uint32_t delete_by_value(const Row& row) const { return get_table().delete_all_by_eq(std::vector<Row>{row}); }
  uint32_t delete_all_by_eq(const std::vector<Row>& rows) const { return get_table().delete_all_by_eq(rows); }
  uint64_t count() const { return get_table().count(); }
  bool empty() const { return count() == 0; }
  uint64_t clear() const { return get_table().clear(); }

  RowRange<Row> iter() const { return get_table().iter(); }
  std::vector<Row> collect() const { return iter().collect(); }
  RowIterator<Row> begin() const { return iter().begin(); }
  RowIterator<Row> end() const { return RowIterator<Row>(); }

 protected:
  std::string_view table_name_;
};

// The type of the tag object SPACETIMEDB_TABLE defines (`ctx.db[person]`).
template <typename Row>
struct TableTag {
  using type = Row;
};

}  // namespace SpacetimeDB
