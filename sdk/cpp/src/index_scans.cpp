// Index scans and deletes, and insert error mapping (see index_accessors.h and table.h).
#include "spacetimedb/abi/host_imports.h"
#include "spacetimedb/index_accessors.h"
#include "spacetimedb/internal/host_calls.h"
#include "spacetimedb/table.h"

namespace SpacetimeDB::Internal {

namespace {

// The host traps on a null pointer even for zero bytes, and an empty vector's data() may be null.
const uint8_t* NonNull(const std::vector<uint8_t>& bytes) {
  static const uint8_t kEmpty = 0;
  return bytes.empty() ? &kEmpty : bytes.data();
}

uint32_t Size(const std::vector<uint8_t>& bytes) { return static_cast<uint32_t>(bytes.size()); }

}  // namespace

RowIter ScanIndexPoint(IndexId index, const std::vector<uint8_t>& point) {
  uint32_t iter = 0;
  CheckHostCall(abi::datastore_index_scan_point_bsatn(index.inner, NonNull(point), Size(point), &iter),
                "datastore_index_scan_point_bsatn");
  return RowIter(iter);
}

RowIter ScanIndexRange(IndexId index, const std::vector<uint8_t>& prefix, uint32_t prefix_elems,
                       const std::vector<uint8_t>& start, const std::vector<uint8_t>& end) {
  uint32_t iter = 0;
  CheckHostCall(abi::datastore_index_scan_range_bsatn(index.inner, NonNull(prefix), Size(prefix), prefix_elems,
                                                      NonNull(start), Size(start), NonNull(end), Size(end), &iter),
                "datastore_index_scan_range_bsatn");
  return RowIter(iter);
}

uint32_t DeleteByIndexPoint(IndexId index, const std::vector<uint8_t>& point) {
  uint32_t deleted = 0;
  CheckHostCall(abi::datastore_delete_by_index_scan_point_bsatn(index.inner, NonNull(point), Size(point), &deleted),
                "datastore_delete_by_index_scan_point_bsatn");
  return deleted;
}

uint32_t DeleteByIndexRange(IndexId index, const std::vector<uint8_t>& prefix, uint32_t prefix_elems,
                            const std::vector<uint8_t>& start, const std::vector<uint8_t>& end) {
  uint32_t deleted = 0;
  CheckHostCall(abi::datastore_delete_by_index_scan_range_bsatn(index.inner, NonNull(prefix), Size(prefix),
                                                                prefix_elems, NonNull(start), Size(start),
                                                                NonNull(end), Size(end), &deleted),
                "datastore_delete_by_index_scan_range_bsatn");
  return deleted;
}

InsertError MakeInsertError(int32_t status) {
  const Status code(static_cast<uint16_t>(status));
  if (code == StatusCode::UNIQUE_ALREADY_EXISTS)
    return InsertError{InsertErrorType::UniqueConstraintViolation, code, "unique constraint violation"};
  if (code == StatusCode::AUTO_INC_OVERFLOW)
    return InsertError{InsertErrorType::AutoIncOverflow, code, "auto-increment overflow"};
  if (code == StatusCode::SCHEDULE_AT_DELAY_TOO_LONG)
    return InsertError{InsertErrorType::ScheduleAtDelayTooLong, code, "schedule delay too long"};
  return InsertError{InsertErrorType::Other, code, "insert failed: " + format_status(code)};
}

}  // namespace SpacetimeDB::Internal
