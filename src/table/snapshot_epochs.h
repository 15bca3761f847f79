// SnapshotEpochs: the clock that lets readers hold consistent snapshots while the single writer keeps going.
//
// The table layer stores rows in pages and indexes in B-tree nodes that are copy-on-write. Every page and node
// records the writer epoch in which it was created (or copied). Taking a snapshot (on the writer's thread, between
// transactions) records the current epoch `s` as live and advances the writer to `s + 1`. From then on:
//   - an object with epoch <= the newest live snapshot may be seen by a reader: the writer must not modify it, it
//     copies it (IsShared) and retires the original;
//   - an object created after every live snapshot is private to the writer and is modified in place.
// A retired object is freed once no live snapshot can reach it: every snapshot taken before its retirement has been
// released (Reclaim). With no live snapshot nothing is shared and nothing is copied, so the writer pays nothing
// for this machinery when nobody reads concurrently.
//
// Thread-safety: BeginSnapshot, IsShared, Retire, Reclaim and current() are called by the writer thread only.
// EndSnapshot may be called from any thread. All methods are safe to call concurrently in that arrangement.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <vector>

namespace stdb::table {

class SnapshotEpochs {
 public:
  SnapshotEpochs() = default;
  SnapshotEpochs(const SnapshotEpochs&) = delete;
  SnapshotEpochs& operator=(const SnapshotEpochs&) = delete;
  ~SnapshotEpochs();  // frees everything still retired

  // The writer's current epoch; objects created now carry it.
  uint64_t current() const { return current_; }

  // True if an object created in `object_epoch` may be visible to a live snapshot.
  bool IsShared(uint64_t object_epoch) const {
    return object_epoch <= newest_live_.load(std::memory_order_acquire);
  }

  // Registers a snapshot of the state as of now and returns its epoch.
  uint64_t BeginSnapshot();
  // Releases a snapshot returned by BeginSnapshot.
  void EndSnapshot(uint64_t epoch);

  // Hands an object that live snapshots may still read to deferred deletion.
  void Retire(void* object, void (*deleter)(void*));
  template <typename T>
  void Retire(T* object) {
    Retire(static_cast<void*>(object), [](void* p) { delete static_cast<T*>(p); });
  }
  // Frees retired objects that no live snapshot can reach. Cheap when there is nothing to free.
  void Reclaim();

  size_t live_snapshots() const;
  size_t retired_objects() const { return retired_.size(); }

 private:
  struct Retired {
    void* object;
    void (*deleter)(void*);
    uint64_t retired_at;  // writer epoch at retirement
  };

  uint64_t current_ = 1;
  std::atomic<uint64_t> newest_live_{0};  // 0 = no live snapshot
  mutable std::mutex mu_;                 // guards live_
  std::map<uint64_t, int> live_;          // epoch -> number of holders
  std::vector<Retired> retired_;          // writer-private
};

}  // namespace stdb::table
