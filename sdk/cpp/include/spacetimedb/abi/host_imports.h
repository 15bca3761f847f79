// The host functions a module imports: the spacetime_10.x ABI of spec/module-abi.md §2.
//
// Each declaration carries the import module and name it has in the wasm binary; wasm-ld emits an import only
// for the functions a module really calls, so a module's required ABI minor version follows the features it uses
// (find() needs 10.4's point scan, clear() needs 10.5, everything else is 10.0).
//
// Types follow the wasm32 C ABI of §1.2: pointers and u32 lengths are i32, u64/i64 are i64, every status comes
// back as an i32 (0 = success, or an errno from abi/status.h; the row iterator and byte source also return -1).
// In/out length cells are uint32_t*: the guest writes the capacity, the host the number of bytes used.
//
// Outside wasm (g++ unit tests) the same declarations are ordinary extern "C" functions that a test host defines;
// SPACETIMEDB_HOST_IMPORT is what makes the difference.
#pragma once

#include <cstdint>

#if defined(__wasm__)
#define SPACETIMEDB_HOST_IMPORT(version, name) \
  __attribute__((import_module("spacetime_" version), import_name(#name)))
#else
#define SPACETIMEDB_HOST_IMPORT(version, name)
#endif

namespace SpacetimeDB::abi {
extern "C" {

// --- spacetime_10.0 ---------------------------------------------------------------------------------------
SPACETIMEDB_HOST_IMPORT("10.0", table_id_from_name)
int32_t table_id_from_name(const uint8_t* name, uint32_t name_len, uint32_t* out_table_id);

SPACETIMEDB_HOST_IMPORT("10.0", index_id_from_name)
int32_t index_id_from_name(const uint8_t* name, uint32_t name_len, uint32_t* out_index_id);

SPACETIMEDB_HOST_IMPORT("10.0", datastore_table_row_count)
int32_t datastore_table_row_count(uint32_t table_id, uint64_t* out_count);

SPACETIMEDB_HOST_IMPORT("10.0", datastore_table_scan_bsatn)
int32_t datastore_table_scan_bsatn(uint32_t table_id, uint32_t* out_iter);

// prefix: the BSATN of the first prefix_elems key columns; rstart/rend: BSATN Bound<V> of the next column.
SPACETIMEDB_HOST_IMPORT("10.0", datastore_index_scan_range_bsatn)
int32_t datastore_index_scan_range_bsatn(uint32_t index_id, const uint8_t* prefix, uint32_t prefix_len,
                                         uint32_t prefix_elems, const uint8_t* rstart, uint32_t rstart_len,
                                         const uint8_t* rend, uint32_t rend_len, uint32_t* out_iter);

SPACETIMEDB_HOST_IMPORT("10.0", datastore_delete_by_index_scan_range_bsatn)
int32_t datastore_delete_by_index_scan_range_bsatn(uint32_t index_id, const uint8_t* prefix, uint32_t prefix_len,
                                                   uint32_t prefix_elems, const uint8_t* rstart,
                                                   uint32_t rstart_len, const uint8_t* rend, uint32_t rend_len,
                                                   uint32_t* out_deleted);

// rel: a BSATN array of rows (u32 count, then the rows).
SPACETIMEDB_HOST_IMPORT("10.0", datastore_delete_all_by_eq_bsatn)
int32_t datastore_delete_all_by_eq_bsatn(uint32_t table_id, const uint8_t* rel, uint32_t rel_len,
                                         uint32_t* out_deleted);

// Returns 0 (more chunks remain), -1 (exhausted; the handle is freed), 11 (the next chunk does not fit: *len is
// its size) or another errno.
SPACETIMEDB_HOST_IMPORT("10.0", row_iter_bsatn_advance)
int32_t row_iter_bsatn_advance(uint32_t iter, uint8_t* buf, uint32_t* buf_len);

SPACETIMEDB_HOST_IMPORT("10.0", row_iter_bsatn_close)
int32_t row_iter_bsatn_close(uint32_t iter);

// On success the host overwrites row[..*row_len] with the generated (auto-increment) column values.
SPACETIMEDB_HOST_IMPORT("10.0", datastore_insert_bsatn)
int32_t datastore_insert_bsatn(uint32_t table_id, uint8_t* row, uint32_t* row_len);

SPACETIMEDB_HOST_IMPORT("10.0", datastore_update_bsatn)
int32_t datastore_update_bsatn(uint32_t table_id, uint32_t index_id, uint8_t* row, uint32_t* row_len);

// Returns 0 (bytes remain), -1 (drained; the source is freed) or 8 (no such source).
SPACETIMEDB_HOST_IMPORT("10.0", bytes_source_read)
int32_t bytes_source_read(uint32_t source, uint8_t* buf, uint32_t* buf_len);

SPACETIMEDB_HOST_IMPORT("10.0", bytes_sink_write)
int32_t bytes_sink_write(uint32_t sink, const uint8_t* buf, uint32_t* buf_len);

// target and filename may be null (absent); line 0xFFFFFFFF means no line.
SPACETIMEDB_HOST_IMPORT("10.0", console_log)
void console_log(uint32_t level, const uint8_t* target, uint32_t target_len, const uint8_t* filename,
                 uint32_t filename_len, uint32_t line_number, const uint8_t* message, uint32_t message_len);

SPACETIMEDB_HOST_IMPORT("10.0", console_timer_start)
uint32_t console_timer_start(const uint8_t* name, uint32_t name_len);

SPACETIMEDB_HOST_IMPORT("10.0", console_timer_end)
int32_t console_timer_end(uint32_t timer_id);

// Writes the database identity, 32 bytes little-endian.
SPACETIMEDB_HOST_IMPORT("10.0", identity)
void identity(uint8_t* out_identity);

SPACETIMEDB_HOST_IMPORT("10.0", volatile_nonatomic_schedule_immediate)
void volatile_nonatomic_schedule_immediate(const uint8_t* name, uint32_t name_len, const uint8_t* args,
                                           uint32_t args_len);

// --- spacetime_10.1 ---------------------------------------------------------------------------------------
SPACETIMEDB_HOST_IMPORT("10.1", bytes_source_remaining_length)
int32_t bytes_source_remaining_length(uint32_t source, uint32_t* out_len);

// --- spacetime_10.2 ---------------------------------------------------------------------------------------
SPACETIMEDB_HOST_IMPORT("10.2", get_jwt)
int32_t get_jwt(const uint8_t* connection_id_le16, uint32_t* out_source);

// --- spacetime_10.4 ---------------------------------------------------------------------------------------
SPACETIMEDB_HOST_IMPORT("10.4", datastore_index_scan_point_bsatn)
int32_t datastore_index_scan_point_bsatn(uint32_t index_id, const uint8_t* point, uint32_t point_len,
                                         uint32_t* out_iter);

SPACETIMEDB_HOST_IMPORT("10.4", datastore_delete_by_index_scan_point_bsatn)
int32_t datastore_delete_by_index_scan_point_bsatn(uint32_t index_id, const uint8_t* point, uint32_t point_len,
                                                   uint32_t* out_deleted);

// --- spacetime_10.5 ---------------------------------------------------------------------------------------
SPACETIMEDB_HOST_IMPORT("10.5", datastore_clear)
int32_t datastore_clear(uint32_t table_id, uint64_t* out_deleted);

}  // extern "C"
}  // namespace SpacetimeDB::abi
