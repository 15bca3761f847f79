// RowChunkReader: the chunked row_iter_bsatn_advance protocol (see row_iterator.h).
#include "spacetimedb/row_iterator.h"

#include "spacetimedb/abi/host_imports.h"
#include "spacetimedb/internal/host_calls.h"
#include "spacetimedb/logger.h"

namespace SpacetimeDB::Internal {

namespace {
constexpr int32_t kIteratorExhausted = -1;
}  // namespace

RowChunkReader::RowChunkReader(RowIter iter, size_t initial_capacity)
    : iter_(iter), exhausted_(!iter.is_valid()) {
  Allocate(initial_capacity > 0 ? initial_capacity : 1);
}

void RowChunkReader::Allocate(size_t capacity) {
  buffer_.reset(new uint8_t[capacity]);
  capacity_ = capacity;
}

RowChunkReader::~RowChunkReader() {
  // An exhausted handle is already freed by the host; closing it again would be an error.
  if (!exhausted_) abi::row_iter_bsatn_close(iter_.inner);
}

bool RowChunkReader::NextChunks() {
  filled_ = 0;
  while (!exhausted_) {
    uint32_t length = static_cast<uint32_t>(capacity_);
    const int32_t status = abi::row_iter_bsatn_advance(iter_.inner, buffer_.get(), &length);
    if (status == kIteratorExhausted) {
      exhausted_ = true;
      filled_ = length;
    } else if (status == StatusCode::BUFFER_TOO_SMALL.inner) {
      Allocate(length);  // the host reported the size of the next chunk
      continue;
    } else {
      CheckHostCall(status, "row_iter_bsatn_advance");
      // Success with more chunks to come always copies at least one; anything else would loop forever.
      if (length == 0) fatal_error("row_iter_bsatn_advance returned no rows but did not finish");
      filled_ = length;
    }
    if (filled_ > 0) return true;
  }
  return false;
}

void FailRowDecode() { fatal_error("a row from the host does not decode at the module's row type"); }

}  // namespace SpacetimeDB::Internal
