#include "table/cow_btree.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <thread>

namespace stdb::table {
namespace {

using Tree = CowBTree<U64KeyTraits>;
using Model = std::set<std::pair<uint64_t, RowId>>;
using Entries = std::vector<std::pair<uint64_t, RowId>>;

std::vector<std::pair<uint64_t, RowId>> Collect(Tree::View v) {
  std::vector<std::pair<uint64_t, RowId>> out;
  for (auto c = Tree::Begin(v); c.Valid(); c.Next()) out.emplace_back(c.key(), c.row());
  return out;
}

TEST(CowBTree, RandomOperationsMatchAModel) {
  SnapshotEpochs epochs;
  Tree tree(&epochs);
  Model model;
  std::mt19937 rng(7);
  for (int step = 0; step < 60000; ++step) {
    uint64_t key = rng() % 500;
    RowId row = rng() % 50;
    if (rng() % 3 != 0) {
      if (model.insert({key, row}).second) tree.Insert(key, row);
    } else {
      EXPECT_EQ(tree.Erase(key, row), model.erase({key, row}) == 1);
    }
    if (step % 5000 == 0) {
      auto got = Collect(tree.view());
      ASSERT_EQ(got, Entries(model.begin(), model.end())) << "step " << step;
    }
  }
  EXPECT_EQ(tree.size(), model.size());
  // Lower bounds agree with the model for every key.
  for (uint64_t k = 0; k < 510; ++k) {
    auto c = Tree::LowerBound(tree.view(), [&](uint64_t x) { return U64KeyTraits::Compare(x, k); });
    auto it = model.lower_bound({k, 0});
    if (it == model.end()) {
      EXPECT_FALSE(c.Valid());
    } else {
      ASSERT_TRUE(c.Valid());
      EXPECT_EQ(c.key(), it->first);
      EXPECT_EQ(c.row(), it->second);
    }
  }
  // Erase everything; the tree becomes empty.
  for (auto [k, r] : model) EXPECT_TRUE(tree.Erase(k, r));
  EXPECT_EQ(tree.size(), 0u);
  EXPECT_FALSE(Tree::Begin(tree.view()).Valid());
  EXPECT_EQ(tree.memory_bytes(), 0u);
}

TEST(CowBTree, SequentialInsertsFillLeaves) {
  SnapshotEpochs epochs;
  Tree tree(&epochs);
  const int n = 100000;
  for (int i = 0; i < n; ++i) tree.Insert(uint64_t(i), RowId(i));
  double bytes_per_entry = double(tree.memory_bytes()) / n;
  // A full leaf holds 128 entries of 12 bytes; half-full leaves would cost about 25 bytes per entry.
  EXPECT_LT(bytes_per_entry, 14.0);
  auto all = Collect(tree.view());
  ASSERT_EQ(all.size(), size_t(n));
  for (int i = 0; i < n; ++i) EXPECT_EQ(all[i].first, uint64_t(i));
}

TEST(CowBTree, SnapshotViewIsUnaffectedByLaterWrites) {
  SnapshotEpochs epochs;
  Tree tree(&epochs);
  Model model;
  std::mt19937 rng(11);
  for (int i = 0; i < 20000; ++i) {
    uint64_t k = rng() % 100000;
    if (model.insert({k, RowId(i)}).second) tree.Insert(k, RowId(i));
  }
  uint64_t snap = epochs.BeginSnapshot();
  Tree::View frozen = tree.view();
  auto expected = Collect(frozen);
  // Mutate heavily while the snapshot is live.
  for (int i = 0; i < 20000; ++i) {
    uint64_t k = rng() % 100000;
    if (rng() % 2) {
      if (model.insert({k, RowId(100000 + i)}).second) tree.Insert(k, RowId(100000 + i));
    } else if (!model.empty()) {
      auto it = model.lower_bound({k, 0});
      if (it == model.end()) it = model.begin();
      EXPECT_TRUE(tree.Erase(it->first, it->second));
      model.erase(it);
    }
  }
  EXPECT_EQ(Collect(frozen), expected);
  EXPECT_EQ(Collect(tree.view()), Entries(model.begin(), model.end()));
  EXPECT_GT(epochs.retired_objects(), 0u);
  epochs.Reclaim();  // nothing the snapshot can reach may be freed
  EXPECT_EQ(Collect(frozen), expected);
  epochs.EndSnapshot(snap);
  epochs.Reclaim();
  EXPECT_EQ(epochs.retired_objects(), 0u);
}

TEST(CowBTree, ReaderThreadIteratesWhileWriterMutates) {
  SnapshotEpochs epochs;
  Tree tree(&epochs);
  for (int i = 0; i < 50000; ++i) tree.Insert(uint64_t(i) * 2, RowId(i));
  uint64_t snap = epochs.BeginSnapshot();
  Tree::View frozen = tree.view();
  std::atomic<bool> ok{true};
  std::thread reader([&] {
    for (int round = 0; round < 20; ++round) {
      uint64_t expect = 0;
      size_t n = 0;
      for (auto c = Tree::Begin(frozen); c.Valid(); c.Next(), ++n, expect += 2)
        if (c.key() != expect) ok = false;
      if (n != 50000) ok = false;
    }
  });
  for (int i = 0; i < 50000; ++i) {
    tree.Insert(uint64_t(i) * 2 + 1, RowId(100000 + i));
    if (i % 3 == 0) tree.Erase(uint64_t(i) * 2, RowId(i));
  }
  reader.join();
  EXPECT_TRUE(ok);
  epochs.EndSnapshot(snap);
  epochs.Reclaim();
}

TEST(CowBTree, BytesKeysAndDuplicates) {
  SnapshotEpochs epochs;
  CowBTree<BytesKeyTraits> tree(&epochs);
  std::multiset<std::pair<std::string, RowId>> model;
  std::mt19937 rng(3);
  for (int i = 0; i < 5000; ++i) {
    std::string k(rng() % 20, 'a');
    for (auto& ch : k) ch = char('a' + rng() % 3);
    tree.Insert(k, RowId(i));
    model.insert({k, RowId(i)});
  }
  std::vector<std::pair<std::string, RowId>> got;
  for (auto c = CowBTree<BytesKeyTraits>::Begin(tree.view()); c.Valid(); c.Next()) got.emplace_back(c.key(), c.row());
  EXPECT_EQ(got, (std::vector<std::pair<std::string, RowId>>(model.begin(), model.end())));
  // Duplicate keys: FindFirst returns the smallest row id for the key.
  std::string dup = model.begin()->first;
  EXPECT_EQ(CowBTree<BytesKeyTraits>::FindFirst(tree.view(), dup), model.begin()->second);
}

}  // namespace
}  // namespace stdb::table
