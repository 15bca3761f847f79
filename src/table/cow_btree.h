// CowBTree: an ordered multimap from index keys to row ids, with copy-on-write nodes for snapshot reads.
//
// Entries are (key, row id) pairs kept in (key, row) order, so duplicate keys are allowed (non-unique indexes) and an
// entry is removed by its exact pair. Uniqueness, when an index needs it, is checked by the caller with a lookup.
//
// Copy-on-write: every node carries the writer epoch it was created in (see SnapshotEpochs). A mutation copies
// each node on its root-to-leaf path that a live snapshot may see, retires the original, and modifies the copies;
// nodes created after the newest live snapshot are modified in place. A View (root + size) taken by the writer
// stays valid and unchanged for as long as the snapshot registered at that moment is live, so readers on other
// threads iterate it without locks while the writer continues.
//
// Nodes never merge on delete (a node is freed only when it becomes empty), and a split at the right end of a node
// keeps the left node full, so sequentially increasing keys (auto-increment primary keys) fill leaves completely.
//
// Traits supplies: `Key`, `static int Compare(const Key&, const Key&)`, `static size_t HeapBytes(const Key&)`,
// `kLeafCapacity`, `kInnerCapacity`.
//
// Thread-safety: mutations and view() on the writer thread; Views may be read from any thread while their
// snapshot is live (or, for the writer's own current view, until the next mutation).
#pragma once

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

#include "table/snapshot_epochs.h"

namespace stdb::table {

using RowId = uint32_t;
inline constexpr RowId kNoRow = UINT32_MAX;

struct U64KeyTraits {
  using Key = uint64_t;
  static int Compare(uint64_t a, uint64_t b) { return a < b ? -1 : (a > b ? 1 : 0); }
  static size_t HeapBytes(uint64_t) { return 0; }
  static constexpr int kLeafCapacity = 128;
  static constexpr int kInnerCapacity = 64;
};

struct BytesKeyTraits {
  using Key = std::string;
  static int Compare(const std::string& a, const std::string& b) {
    size_t n = std::min(a.size(), b.size());
    int c = n ? std::memcmp(a.data(), b.data(), n) : 0;
    if (c != 0) return c;
    return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
  }
  static size_t HeapBytes(const std::string& k) { return k.capacity() > 15 ? k.capacity() + 1 : 0; }
  static constexpr int kLeafCapacity = 32;
  static constexpr int kInnerCapacity = 32;
};

template <typename Traits>
class CowBTree {
 public:
  using Key = typename Traits::Key;
  static constexpr int kLeafCap = Traits::kLeafCapacity;
  static constexpr int kInnerCap = Traits::kInnerCapacity;
  static constexpr int kMaxDepth = 24;

  struct Node {
    uint64_t epoch;
    uint16_t count;  // entries (leaf) or separators (inner; children = count + 1)
    bool leaf;
  };
  struct Leaf : Node {
    Key keys[kLeafCap];
    RowId rows[kLeafCap];
  };
  struct Inner : Node {
    Key keys[kInnerCap];  // separator i = the smallest entry of child i + 1
    RowId rows[kInnerCap];
    Node* children[kInnerCap + 1];
  };

  // An immutable picture of the tree: valid while the snapshot it was taken for is live.
  struct View {
    const Node* root = nullptr;
    size_t size = 0;
  };

  explicit CowBTree(SnapshotEpochs* epochs) : epochs_(epochs) {}
  CowBTree(const CowBTree&) = delete;
  CowBTree& operator=(const CowBTree&) = delete;
  ~CowBTree() { DropAll(); }

  View view() const { return View{root_, size_}; }
  size_t size() const { return size_; }
  size_t memory_bytes() const { return memory_bytes_; }

  // Inserts (key, row); the pair must not be present.
  void Insert(const Key& key, RowId row) {
    if (!root_) {
      Leaf* leaf = NewLeaf();
      leaf->keys[0] = key;
      leaf->rows[0] = row;
      leaf->count = 1;
      memory_bytes_ += Traits::HeapBytes(key);
      root_ = leaf;
      size_ = 1;
      return;
    }
    root_ = Writable(root_);
    if (IsFull(root_)) {
      Inner* new_root = NewInner();
      new_root->children[0] = root_;
      root_ = new_root;
      SplitChild(new_root, 0, key, row);
    }
    Node* node = root_;
    while (!node->leaf) {
      Inner* inner = static_cast<Inner*>(node);
      int j = ChildFor(inner, key, row);
      Node* child = Writable(inner->children[j]);
      inner->children[j] = child;
      if (IsFull(child)) {
        SplitChild(inner, j, key, row);
        j = ChildFor(inner, key, row);
        child = inner->children[j];
      }
      node = child;
    }
    Leaf* leaf = static_cast<Leaf*>(node);
    int pos = LeafPosition(leaf, key, row);
    for (int i = leaf->count; i > pos; --i) {
      leaf->keys[i] = std::move(leaf->keys[i - 1]);
      leaf->rows[i] = leaf->rows[i - 1];
    }
    leaf->keys[pos] = key;
    leaf->rows[pos] = row;
    ++leaf->count;
    ++size_;
    memory_bytes_ += Traits::HeapBytes(key);
  }

  // Removes (key, row); returns false if absent.
  bool Erase(const Key& key, RowId row) {
    if (!Contains(key, row)) return false;
    std::array<std::pair<Inner*, int>, kMaxDepth> path;
    int depth = 0;
    root_ = Writable(root_);
    Node* node = root_;
    while (!node->leaf) {
      Inner* inner = static_cast<Inner*>(node);
      int j = ChildFor(inner, key, row);
      Node* child = Writable(inner->children[j]);
      inner->children[j] = child;
      path[depth++] = {inner, j};
      node = child;
    }
    Leaf* leaf = static_cast<Leaf*>(node);
    int pos = LeafPosition(leaf, key, row);
    memory_bytes_ -= Traits::HeapBytes(leaf->keys[pos]);
    for (int i = pos; i + 1 < leaf->count; ++i) {
      leaf->keys[i] = std::move(leaf->keys[i + 1]);
      leaf->rows[i] = leaf->rows[i + 1];
    }
    --leaf->count;
    leaf->keys[leaf->count] = Key();
    --size_;
    // Unlink nodes that became empty, bottom-up.
    Node* empty = leaf->count == 0 ? leaf : nullptr;
    while (empty && depth > 0) {
      auto [parent, j] = path[--depth];
      FreeNode(empty);
      RemoveChild(parent, j);
      // An inner node with no children left is empty too (count is -1 in spirit: it had one child).
      empty = parent->count == 0 && parent->children[0] == nullptr ? parent : nullptr;
    }
    if (empty && empty == root_) {
      FreeNode(root_);
      root_ = nullptr;
    }
    // Collapse a root with a single child.
    while (root_ && !root_->leaf && root_->count == 0) {
      Inner* r = static_cast<Inner*>(root_);
      root_ = r->children[0];
      FreeNode(r);
    }
    return true;
  }

  bool Contains(const Key& key, RowId row) const {
    const Node* node = root_;
    if (!node) return false;
    while (!node->leaf) {
      const Inner* inner = static_cast<const Inner*>(node);
      node = inner->children[ChildFor(inner, key, row)];
    }
    const Leaf* leaf = static_cast<const Leaf*>(node);
    int pos = LeafPosition(leaf, key, row);
    return pos < leaf->count && Traits::Compare(leaf->keys[pos], key) == 0 && leaf->rows[pos] == row;
  }

  // Removes every entry.
  void Clear() {
    DropAll();
    root_ = nullptr;
    size_ = 0;
    memory_bytes_ = 0;
  }

  // Forward iterator over a View, positioned by LowerBound/Begin.
  class Cursor {
   public:
    bool Valid() const { return depth_ > 0; }
    const Key& key() const { return leaf()->keys[path_[depth_ - 1].second]; }
    RowId row() const { return leaf()->rows[path_[depth_ - 1].second]; }
    void Next() {
      ++path_[depth_ - 1].second;
      SkipExhausted();
    }

   private:
    friend class CowBTree;
    const Leaf* leaf() const { return static_cast<const Leaf*>(path_[depth_ - 1].first); }
    // If the leaf position is past its last entry, climbs to the next child and descends to its first entry;
    // at the end of the tree the cursor becomes invalid.
    void SkipExhausted() {
      if (path_[depth_ - 1].second < path_[depth_ - 1].first->count) return;
      --depth_;
      while (depth_ > 0) {
        auto& [node, j] = path_[depth_ - 1];
        if (j < node->count) {  // an inner node with a next child
          ++j;
          const Node* child = static_cast<const Inner*>(node)->children[j];
          while (!child->leaf) {
            path_[depth_++] = {child, 0};
            child = static_cast<const Inner*>(child)->children[0];
          }
          path_[depth_++] = {child, 0};
          return;  // non-root leaves are never empty
        }
        --depth_;
      }
    }
    std::array<std::pair<const Node*, int>, kMaxDepth> path_;
    int depth_ = 0;
  };

  // First entry whose key satisfies probe(key) >= 0, where probe is monotone over the key order
  // (negative for keys before the target). Example probe for "key >= k": Compare(key, k).
  template <typename Probe>
  static Cursor LowerBound(View view, Probe probe) {
    Cursor c;
    const Node* node = view.root;
    if (!node) return c;
    while (!node->leaf) {
      const Inner* inner = static_cast<const Inner*>(node);
      int lo = 0, hi = inner->count;  // number of separators with probe < 0
      while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (probe(inner->keys[mid]) < 0) lo = mid + 1;
        else hi = mid;
      }
      c.path_[c.depth_++] = {node, lo};
      node = inner->children[lo];
    }
    const Leaf* leaf = static_cast<const Leaf*>(node);
    int lo = 0, hi = leaf->count;
    while (lo < hi) {
      int mid = (lo + hi) / 2;
      if (probe(leaf->keys[mid]) < 0) lo = mid + 1;
      else hi = mid;
    }
    c.path_[c.depth_++] = {node, lo};
    c.SkipExhausted();
    return c;
  }

  static Cursor Begin(View view) {
    return LowerBound(view, [](const Key&) { return 0; });
  }

  // Row of the first entry with exactly this key, or kNoRow.
  static RowId FindFirst(View view, const Key& key) {
    Cursor c = LowerBound(view, [&](const Key& k) { return Traits::Compare(k, key); });
    return c.Valid() && Traits::Compare(c.key(), key) == 0 ? c.row() : kNoRow;
  }

 private:
  static int CompareEntry(const Key& ka, RowId ra, const Key& kb, RowId rb) {
    int c = Traits::Compare(ka, kb);
    if (c != 0) return c;
    return ra < rb ? -1 : (ra > rb ? 1 : 0);
  }

  // Index of the child of `inner` that holds (or would hold) the entry (key, row).
  static int ChildFor(const Inner* inner, const Key& key, RowId row) {
    int lo = 0, hi = inner->count;
    while (lo < hi) {
      int mid = (lo + hi) / 2;
      if (CompareEntry(inner->keys[mid], inner->rows[mid], key, row) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // First position in `leaf` whose entry is >= (key, row).
  static int LeafPosition(const Leaf* leaf, const Key& key, RowId row) {
    int lo = 0, hi = leaf->count;
    while (lo < hi) {
      int mid = (lo + hi) / 2;
      if (CompareEntry(leaf->keys[mid], leaf->rows[mid], key, row) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  static bool IsFull(const Node* n) { return n->count == (n->leaf ? kLeafCap : kInnerCap); }

  Leaf* NewLeaf() {
    Leaf* l = new Leaf();
    l->epoch = epochs_->current();
    l->count = 0;
    l->leaf = true;
    memory_bytes_ += sizeof(Leaf);
    return l;
  }
  Inner* NewInner() {
    Inner* n = new Inner();
    n->epoch = epochs_->current();
    n->count = 0;
    n->leaf = false;
    std::fill(std::begin(n->children), std::end(n->children), nullptr);
    memory_bytes_ += sizeof(Inner);
    return n;
  }

  // Returns `n` itself if the writer owns it, else a private copy (retiring `n`).
  Node* Writable(Node* n) {
    if (!epochs_->IsShared(n->epoch)) return n;
    Node* copy;
    if (n->leaf) {
      Leaf* l = new Leaf(*static_cast<Leaf*>(n));
      copy = l;
      memory_bytes_ += sizeof(Leaf);
    } else {
      Inner* i = new Inner(*static_cast<Inner*>(n));
      copy = i;
      memory_bytes_ += sizeof(Inner);
    }
    copy->epoch = epochs_->current();
    RetireNode(n);
    return copy;
  }

  void RetireNode(Node* n) {
    memory_bytes_ -= n->leaf ? sizeof(Leaf) : sizeof(Inner);
    if (n->leaf) epochs_->Retire(static_cast<Leaf*>(n));
    else epochs_->Retire(static_cast<Inner*>(n));
  }

  // Frees a writer-owned node.
  void FreeNode(Node* n) {
    memory_bytes_ -= n->leaf ? sizeof(Leaf) : sizeof(Inner);
    if (n->leaf) delete static_cast<Leaf*>(n);
    else delete static_cast<Inner*>(n);
  }

  // Splits the full child `j` of `parent` (both writable). The entry about to be inserted steers the split point:
  // appending past the end keeps the left node full.
  void SplitChild(Inner* parent, int j, const Key& key, RowId row) {
    Node* child = parent->children[j];
    int cap = child->leaf ? kLeafCap : kInnerCap;
    bool appending;
    if (child->leaf) {
      auto* l = static_cast<Leaf*>(child);
      appending = CompareEntry(key, row, l->keys[cap - 1], l->rows[cap - 1]) > 0;
    } else {
      auto* in = static_cast<Inner*>(child);
      appending = CompareEntry(key, row, in->keys[cap - 1], in->rows[cap - 1]) > 0;
    }
    int m = appending ? cap - 1 : cap / 2;
    Key sep_key;
    RowId sep_row;
    Node* right;
    if (child->leaf) {
      auto* l = static_cast<Leaf*>(child);
      Leaf* r = NewLeaf();
      for (int i = m; i < cap; ++i) {
        r->keys[i - m] = std::move(l->keys[i]);
        r->rows[i - m] = l->rows[i];
        l->keys[i] = Key();
      }
      r->count = uint16_t(cap - m);
      l->count = uint16_t(m);
      sep_key = r->keys[0];
      sep_row = r->rows[0];
      right = r;
    } else {
      auto* in = static_cast<Inner*>(child);
      Inner* r = NewInner();
      sep_key = std::move(in->keys[m]);
      sep_row = in->rows[m];
      for (int i = m + 1; i < cap; ++i) {
        r->keys[i - m - 1] = std::move(in->keys[i]);
        r->rows[i - m - 1] = in->rows[i];
        in->keys[i] = Key();
      }
      for (int i = m + 1; i <= cap; ++i) {
        r->children[i - m - 1] = in->children[i];
        in->children[i] = nullptr;
      }
      in->keys[m] = Key();
      r->count = uint16_t(cap - m - 1);
      in->count = uint16_t(m);
      right = r;
    }
    // Insert the separator and the new child into the parent at j.
    for (int i = parent->count; i > j; --i) {
      parent->keys[i] = std::move(parent->keys[i - 1]);
      parent->rows[i] = parent->rows[i - 1];
    }
    for (int i = parent->count + 1; i > j + 1; --i) parent->children[i] = parent->children[i - 1];
    parent->keys[j] = std::move(sep_key);
    parent->rows[j] = sep_row;
    parent->children[j + 1] = right;
    ++parent->count;
  }

  // Removes child j (already freed) and its separator from `parent`.
  static void RemoveChild(Inner* parent, int j) {
    if (parent->count == 0) {  // the only child
      parent->children[0] = nullptr;
      return;
    }
    int sep = j > 0 ? j - 1 : 0;
    for (int i = sep; i + 1 < parent->count; ++i) {
      parent->keys[i] = std::move(parent->keys[i + 1]);
      parent->rows[i] = parent->rows[i + 1];
    }
    parent->keys[parent->count - 1] = Key();
    for (int i = j; i < parent->count; ++i) parent->children[i] = parent->children[i + 1];
    parent->children[parent->count] = nullptr;
    --parent->count;
  }

  // Frees or retires every node (shared nodes are retired, so live snapshots keep reading them).
  void DropAll() {
    if (root_) DropRec(root_);
  }
  void DropRec(Node* n) {
    if (!n->leaf) {
      Inner* in = static_cast<Inner*>(n);
      for (int i = 0; i <= in->count; ++i)
        if (in->children[i]) DropRec(in->children[i]);
    }
    if (epochs_->IsShared(n->epoch)) RetireNode(n);
    else FreeNode(n);
  }

  SnapshotEpochs* epochs_;
  Node* root_ = nullptr;
  size_t size_ = 0;
  size_t memory_bytes_ = 0;
};

}  // namespace stdb::table
