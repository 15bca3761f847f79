// Iteration over the rows of a host RowIter (table scans and index scans), decoded lazily.
//
// The host collects the matching rows when the scan starts and hands them out in chunks of whole rows
// (spec/module-abi.md §2.7): row_iter_bsatn_advance copies as many chunks as fit into the buffer and returns 0
// while more remain, -1 once the iterator is exhausted (the host frees the handle then), or BUFFER_TOO_SMALL with
// the size of the next chunk, in which case the buffer grows and the call is retried. Rows in a chunk are
// back-to-back BSATN, split by decoding them one after another.
//
// RowRange<Row> is what filter() and table iteration return; it is an input range:
//   for (const Row& row : ctx.db[table]) ...      auto rows = ctx.db[index].filter(key).collect();
// Copies of a range or iterator share one cursor. A handle the host has not exhausted is closed when the last
// copy goes away.
//
// Thread-safety: none; a module instance is single-threaded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <vector>

#include "spacetimedb/abi/status.h"
#include "spacetimedb/bsatn/traits.h"

namespace SpacetimeDB {

namespace Internal {

// The byte side of a scan: owns the handle and the chunk buffer.
class RowChunkReader {
 public:
  // iter may be invalid (0), which reads as an empty scan.
  RowChunkReader(RowIter iter, size_t initial_capacity);
  ~RowChunkReader();
  RowChunkReader(const RowChunkReader&) = delete;
  RowChunkReader& operator=(const RowChunkReader&) = delete;

  // Replaces the buffer's contents with the next chunk(s); false when the scan has no more rows.
  bool NextChunks();
  const uint8_t* data() const { return buffer_.get(); }
  size_t size() const { return filled_; }

 private:
  void Allocate(size_t capacity);

  RowIter iter_;
  bool exhausted_;
  // Not zero-filled: the host overwrites what it reports, and an index lookup is too cheap to pay for a memset.
  std::unique_ptr<uint8_t[]> buffer_;
  size_t capacity_ = 0;
  size_t filled_ = 0;
};

// Traps: a row the host sent does not decode at the module's own row type.
[[noreturn]] void FailRowDecode();

// Decodes rows from the chunks, one at a time.
template <typename Row>
class RowCursor {
 public:
  RowCursor(RowIter iter, size_t initial_capacity) : chunks_(iter, initial_capacity) {}

  // Moves to the next row; false at the end.
  bool Advance() {
    while (offset_ >= chunks_.size()) {
      if (!chunks_.NextChunks()) {
        current_.reset();
        return false;
      }
      offset_ = 0;
    }
    bsatn::Reader reader(chunks_.data() + offset_, chunks_.size() - offset_);
    current_ = bsatn::deserialize<Row>(reader);
    if (!reader.ok()) FailRowDecode();
    offset_ = chunks_.size() - reader.remaining();
    return true;
  }
  bool started() const { return started_; }
  void mark_started() { started_ = true; }
  Row* current() { return current_ ? &*current_ : nullptr; }

 private:
  RowChunkReader chunks_;
  size_t offset_ = 0;
  bool started_ = false;
  std::optional<Row> current_;
};

}  // namespace Internal

template <typename Row>
class RowIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = Row;
  using difference_type = std::ptrdiff_t;
  using pointer = Row*;
  using reference = Row&;

  RowIterator() = default;  // the end
  explicit RowIterator(std::shared_ptr<Internal::RowCursor<Row>> cursor) : cursor_(std::move(cursor)) {}

  Row& operator*() const { return *cursor_->current(); }
  Row* operator->() const { return cursor_->current(); }
  RowIterator& operator++() {
    if (cursor_ && !cursor_->Advance()) cursor_.reset();
    return *this;
  }
  void operator++(int) { ++*this; }
  bool operator==(const RowIterator& other) const { return at_end() == other.at_end() && (at_end() || cursor_ == other.cursor_); }

 private:
  bool at_end() const { return !cursor_ || cursor_->current() == nullptr; }
  std::shared_ptr<Internal::RowCursor<Row>> cursor_;
};

template <typename Row>
class RowRange {
 public:
  RowRange() = default;  // empty
  RowRange(RowIter iter, size_t initial_capacity)
      : cursor_(std::make_shared<Internal::RowCursor<Row>>(iter, initial_capacity)) {}

  RowIterator<Row> begin() {
    if (!cursor_) return RowIterator<Row>();
    if (!cursor_->started()) {
      cursor_->mark_started();
      if (!cursor_->Advance()) return RowIterator<Row>();
    }
    return cursor_->current() ? RowIterator<Row>(cursor_) : RowIterator<Row>();
  }
  RowIterator<Row> end() { return RowIterator<Row>(); }

  // The remaining rows.
  std::vector<Row> collect() {
    std::vector<Row> rows;
    for (auto it = begin(); it != end(); ++it) rows.push_back(std::move(*it));
    return rows;
  }
  // Consumes the range and counts its rows.
  size_t count() {
    size_t n = 0;
    for (auto it = begin(); it != end(); ++it) ++n;
    return n;
  }
  size_t size() { return count(); }

 private:
  std::shared_ptr<Internal::RowCursor<Row>> cursor_;
};

// Names used by the official SDK.
template <typename Row>
using TableIterator = RowIterator<Row>;
template <typename Row>
using IndexIterator = RowIterator<Row>;
template <typename Row>
using IndexIteratorRange = RowRange<Row>;

}  // namespace SpacetimeDB
