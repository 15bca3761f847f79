// RowStore: the rows of one table, as BSATN bytes in 64 KiB pages, addressed by stable row ids.
//
// Layout: a page holds a header, a presence bitmap and an array of equal-size slots. When every row of the table
// has the same BSATN size (only fixed-size columns) a slot holds the row itself, so a row of (u32, i32) costs
// 8 bytes plus one bit. Otherwise a slot holds a pointer to a heap blob [u32 length][bytes] of that row.
// A row id is page_index * slots_per_page + slot, dense from 0, and never changes while the row exists.
//
// A row can be present, absent-but-kept (deleted inside a transaction that may still roll back: its bytes stay
// readable and its slot is not reused) or released (slot free for reuse).
//
// Copy-on-write: pages and the page table carry creation epochs (SnapshotEpochs). A write to a page that a live
// snapshot may see copies the page first, so a View taken by the writer is an immutable picture for as long as
// its snapshot is live. Blobs are immutable; a released blob is retired instead of freed while snapshots live.
//
// Thread-safety: mutations and view() on the writer thread; a View may be read from any thread while its
// snapshot is live.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <vector>

#include "sats/bsatn.h"
#include "table/cow_btree.h"
#include "table/snapshot_epochs.h"

namespace stdb::table {

using sats::ByteSpan;

class RowStore {
 public:
  static constexpr size_t kPageSize = 64 * 1024;

  struct Page;
  struct PageTable {
    uint64_t epoch;
    std::vector<Page*> pages;
  };

  // Where slots sit in a page; fixed for a store.
  struct Geometry {
    size_t slot_size = 0;
    size_t row_size = 0;  // for inline rows (a zero-size row still takes a 1-byte slot)
    size_t slots_per_page = 0;
    size_t bitmap_words = 0;
    size_t slots_offset = 0;
    bool inline_rows = false;  // slots hold rows (else pointers to blobs)
  };

  // An immutable picture of the rows, valid while its snapshot is live.
  class View {
   public:
    View() = default;
    size_t row_count() const { return row_count_; }
    // Calls fn(RowId, ByteSpan) for every present row, in row id order.
    template <typename Fn>
    void ForEach(Fn&& fn) const;
    // Calls fn for present rows with ids in [first, first + limit); returns the next id to resume from, or
    // kNoRow at the end. Lets long scans run in chunks.
    template <typename Fn>
    RowId ForEachFrom(RowId first, size_t limit, Fn&& fn) const;
    bool IsPresent(RowId id) const;
    ByteSpan Get(RowId id) const;  // id must be present

   private:
    friend class RowStore;
    const PageTable* table_ = nullptr;
    Geometry geo_;
    size_t row_count_ = 0;
  };

  // fixed_row_size: the size of every row, or nullopt for rows of varying size.
  RowStore(std::optional<size_t> fixed_row_size, SnapshotEpochs* epochs);
  RowStore(const RowStore&) = delete;
  RowStore& operator=(const RowStore&) = delete;
  ~RowStore();

  // Stores a row (of the fixed size, if any) and marks it present.
  RowId Insert(ByteSpan row);
  // Marks a present row absent; its bytes stay readable and its slot reserved until Release.
  void MarkAbsent(RowId id);
  // Marks an absent (not released) row present again.
  void MarkPresent(RowId id);
  // Frees the slot of an absent row for reuse.
  void Release(RowId id);
  // Replaces the bytes of a present row in place (same id).
  void Overwrite(RowId id, ByteSpan row);

  bool IsPresent(RowId id) const;
  // The bytes of a present or absent-but-kept row.
  ByteSpan Get(RowId id) const;

  size_t row_count() const { return row_count_; }
  size_t memory_bytes() const;
  View view() const;
  const Geometry& geometry() const { return geo_; }

  // Removes every row (present or kept).
  void Clear();

 private:
  struct Blob;
  Page* WritablePage(size_t page_index);
  PageTable* WritableTable();
  uint8_t* SlotOf(Page* page, size_t slot) const;
  void FreeBlob(Blob* blob);
  static bool TestBit(const Page* page, size_t slot);
  static const uint64_t* Bitmap(const Page* page);
  static uint64_t* Bitmap(Page* page);

  SnapshotEpochs* epochs_;
  Geometry geo_;
  PageTable* table_;
  std::vector<RowId> free_slots_;
  RowId high_water_ = 0;  // ids below this have been handed out at least once
  size_t row_count_ = 0;
  size_t blob_bytes_ = 0;
};

// --- inline implementation of the View templates ---------------------------------------------------------------

struct RowStore::Page {
  uint64_t epoch;
  uint32_t present;
  uint32_t reserved;
};

struct RowStore::Blob {
  uint32_t length;
  uint8_t data[4];  // actually `length` bytes
};

inline const uint64_t* RowStore::Bitmap(const Page* page) {
  return reinterpret_cast<const uint64_t*>(reinterpret_cast<const uint8_t*>(page) + sizeof(Page));
}
inline uint64_t* RowStore::Bitmap(Page* page) {
  return reinterpret_cast<uint64_t*>(reinterpret_cast<uint8_t*>(page) + sizeof(Page));
}
inline bool RowStore::TestBit(const Page* page, size_t slot) { return (Bitmap(page)[slot / 64] >> (slot % 64)) & 1; }

inline ByteSpan RowStore::View::Get(RowId id) const {
  const Page* page = table_->pages[id / geo_.slots_per_page];
  const uint8_t* slot = reinterpret_cast<const uint8_t*>(page) + geo_.slots_offset +
                        (id % geo_.slots_per_page) * geo_.slot_size;
  if (geo_.inline_rows) return ByteSpan(slot, geo_.row_size);
  const Blob* blob;
  std::memcpy(&blob, slot, sizeof blob);
  return ByteSpan(blob->data, blob->length);
}

inline bool RowStore::View::IsPresent(RowId id) const {
  size_t p = id / geo_.slots_per_page;
  return table_ && p < table_->pages.size() && TestBit(table_->pages[p], id % geo_.slots_per_page);
}

template <typename Fn>
void RowStore::View::ForEach(Fn&& fn) const {
  ForEachFrom(0, SIZE_MAX, fn);
}

template <typename Fn>
RowId RowStore::View::ForEachFrom(RowId first, size_t limit, Fn&& fn) const {
  if (!table_) return kNoRow;
  size_t done = 0;
  size_t page_count = table_->pages.size();
  for (size_t p = first / geo_.slots_per_page; p < page_count; ++p) {
    const Page* page = table_->pages[p];
    if (page->present == 0) continue;
    const uint64_t* bits = Bitmap(page);
    size_t start_slot = p == first / geo_.slots_per_page ? first % geo_.slots_per_page : 0;
    for (size_t w = start_slot / 64; w < geo_.bitmap_words; ++w) {
      uint64_t word = bits[w];
      if (w == start_slot / 64) word &= ~uint64_t{0} << (start_slot % 64);
      while (word) {
        size_t slot = w * 64 + size_t(__builtin_ctzll(word));
        word &= word - 1;
        RowId id = RowId(p * geo_.slots_per_page + slot);
        if (done == limit) return id;
        fn(id, Get(id));
        ++done;
      }
    }
  }
  return kNoRow;
}

}  // namespace stdb::table
