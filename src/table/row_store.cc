#include "table/row_store.h"

#include <cstdlib>
#include <new>

namespace stdb::table {

namespace {

// Rows larger than this are kept in blobs even when every row has the same size, so a page holds enough rows.
constexpr size_t kMaxInlineRow = 2048;

RowStore::Geometry ComputeGeometry(std::optional<size_t> fixed_row_size) {
  RowStore::Geometry g;
  g.inline_rows = fixed_row_size && *fixed_row_size <= kMaxInlineRow;
  g.row_size = g.inline_rows ? *fixed_row_size : 0;
  g.slot_size = g.inline_rows ? std::max<size_t>(*fixed_row_size, 1) : sizeof(void*);
  size_t header = 16;  // sizeof(Page), checked below
  // Largest n with header + 8 * ceil(n / 64) + n * slot_size <= page size.
  size_t n = (RowStore::kPageSize - header) / g.slot_size;
  while (n > 0 && header + 8 * ((n + 63) / 64) + n * g.slot_size > RowStore::kPageSize) --n;
  g.slots_per_page = n;
  g.bitmap_words = (n + 63) / 64;
  g.slots_offset = header + 8 * g.bitmap_words;
  // Align slots to 8 bytes for pointer slots.
  if (!g.inline_rows) g.slots_offset = (g.slots_offset + 7) & ~size_t{7};
  while (g.slots_offset + n * g.slot_size > RowStore::kPageSize) {
    --n;
    g.slots_per_page = n;
  }
  return g;
}

}  // namespace

static_assert(sizeof(RowStore::Page) == 16);

RowStore::RowStore(std::optional<size_t> fixed_row_size, SnapshotEpochs* epochs)
    : epochs_(epochs), geo_(ComputeGeometry(fixed_row_size)), table_(new PageTable{epochs->current(), {}}) {}

RowStore::~RowStore() {
  // Blobs and pages still visible to live snapshots are retired; the rest freed.
  Clear();
  if (epochs_->IsShared(table_->epoch)) epochs_->Retire(table_);
  else delete table_;
}

void RowStore::Clear() {
  for (size_t p = 0; p < table_->pages.size(); ++p) {
    Page* page = table_->pages[p];
    if (!geo_.inline_rows) {
      // Every slot below the high-water mark that is not free holds a blob.
      for (size_t s = 0; s < geo_.slots_per_page; ++s) {
        RowId id = RowId(p * geo_.slots_per_page + s);
        if (id >= high_water_) break;
        Blob* blob;
        std::memcpy(&blob, SlotOf(page, s), sizeof blob);
        if (blob) FreeBlob(blob);
      }
    }
    if (epochs_->IsShared(page->epoch)) {
      epochs_->Retire(page, [](void* pg) { ::operator delete(pg); });
    } else {
      ::operator delete(page);
    }
  }
  PageTable* t = WritableTable();
  t->pages.clear();
  free_slots_.clear();
  high_water_ = 0;
  row_count_ = 0;
  blob_bytes_ = 0;
}

RowStore::PageTable* RowStore::WritableTable() {
  if (!epochs_->IsShared(table_->epoch)) return table_;
  PageTable* copy = new PageTable{epochs_->current(), table_->pages};
  epochs_->Retire(table_);
  table_ = copy;
  return table_;
}

RowStore::Page* RowStore::WritablePage(size_t page_index) {
  Page* page = table_->pages[page_index];
  if (!epochs_->IsShared(page->epoch)) return page;
  Page* copy = static_cast<Page*>(::operator new(kPageSize));
  std::memcpy(copy, page, kPageSize);
  copy->epoch = epochs_->current();
  epochs_->Retire(page, [](void* pg) { ::operator delete(pg); });
  WritableTable()->pages[page_index] = copy;
  return copy;
}

uint8_t* RowStore::SlotOf(Page* page, size_t slot) const {
  return reinterpret_cast<uint8_t*>(page) + geo_.slots_offset + slot * geo_.slot_size;
}

void RowStore::FreeBlob(Blob* blob) {
  blob_bytes_ -= sizeof(uint32_t) + blob->length;
  // A live snapshot may still point at this blob through an older page.
  if (epochs_->live_snapshots() > 0) epochs_->Retire(blob, [](void* b) { std::free(b); });
  else std::free(blob);
}

RowId RowStore::Insert(ByteSpan row) {
  RowId id;
  if (!free_slots_.empty()) {
    id = free_slots_.back();
    free_slots_.pop_back();
  } else {
    id = high_water_++;
    if (id / geo_.slots_per_page >= table_->pages.size()) {
      Page* page = static_cast<Page*>(::operator new(kPageSize));
      std::memset(page, 0, kPageSize);
      page->epoch = epochs_->current();
      WritableTable()->pages.push_back(page);
    }
  }
  size_t p = id / geo_.slots_per_page, s = id % geo_.slots_per_page;
  Page* page = WritablePage(p);
  uint8_t* slot = SlotOf(page, s);
  if (geo_.inline_rows) {
    if (!row.empty()) std::memcpy(slot, row.data(), row.size());
  } else {
    Blob* blob = static_cast<Blob*>(std::malloc(sizeof(uint32_t) + std::max<size_t>(row.size(), 4)));
    if (!blob) throw std::bad_alloc();
    blob->length = static_cast<uint32_t>(row.size());
    if (!row.empty()) std::memcpy(blob->data, row.data(), row.size());
    blob_bytes_ += sizeof(uint32_t) + row.size();
    std::memcpy(slot, &blob, sizeof blob);
  }
  Bitmap(page)[s / 64] |= uint64_t{1} << (s % 64);
  ++page->present;
  ++row_count_;
  return id;
}

void RowStore::MarkAbsent(RowId id) {
  size_t p = id / geo_.slots_per_page, s = id % geo_.slots_per_page;
  Page* page = WritablePage(p);
  Bitmap(page)[s / 64] &= ~(uint64_t{1} << (s % 64));
  --page->present;
  --row_count_;
}

void RowStore::MarkPresent(RowId id) {
  size_t p = id / geo_.slots_per_page, s = id % geo_.slots_per_page;
  Page* page = WritablePage(p);
  Bitmap(page)[s / 64] |= uint64_t{1} << (s % 64);
  ++page->present;
  ++row_count_;
}

void RowStore::Release(RowId id) {
  if (!geo_.inline_rows) {
    size_t p = id / geo_.slots_per_page, s = id % geo_.slots_per_page;
    Page* page = WritablePage(p);
    Blob* blob;
    std::memcpy(&blob, SlotOf(page, s), sizeof blob);
    FreeBlob(blob);
    Blob* null_blob = nullptr;
    std::memcpy(SlotOf(page, s), &null_blob, sizeof null_blob);
  }
  free_slots_.push_back(id);
}

void RowStore::Overwrite(RowId id, ByteSpan row) {
  size_t p = id / geo_.slots_per_page, s = id % geo_.slots_per_page;
  Page* page = WritablePage(p);
  uint8_t* slot = SlotOf(page, s);
  if (geo_.inline_rows) {
    if (!row.empty()) std::memcpy(slot, row.data(), row.size());
    return;
  }
  Blob* old_blob;
  std::memcpy(&old_blob, slot, sizeof old_blob);
  Blob* blob = static_cast<Blob*>(std::malloc(sizeof(uint32_t) + std::max<size_t>(row.size(), 4)));
  if (!blob) throw std::bad_alloc();
  blob->length = static_cast<uint32_t>(row.size());
  if (!row.empty()) std::memcpy(blob->data, row.data(), row.size());
  blob_bytes_ += sizeof(uint32_t) + row.size();
  std::memcpy(slot, &blob, sizeof blob);
  FreeBlob(old_blob);
}

bool RowStore::IsPresent(RowId id) const {
  size_t p = id / geo_.slots_per_page;
  return p < table_->pages.size() && TestBit(table_->pages[p], id % geo_.slots_per_page);
}

ByteSpan RowStore::Get(RowId id) const { return view().Get(id); }

size_t RowStore::memory_bytes() const {
  return table_->pages.size() * kPageSize + table_->pages.capacity() * sizeof(Page*) +
         free_slots_.capacity() * sizeof(RowId) + blob_bytes_;
}

RowStore::View RowStore::view() const {
  View v;
  v.table_ = table_;
  v.geo_ = geo_;
  v.row_count_ = row_count_;
  return v;
}

}  // namespace stdb::table
