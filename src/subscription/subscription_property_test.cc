// Property test of the whole manager: clients subscribed to single-table, two-, three- and four-table join queries
// (self-joins and a cycle included) over randomly changing tables keep, from their initial rows and the updates
// they receive, exactly what a full evaluation of their queries returns.
#include <gtest/gtest.h>

#include "subscription/subscription_manager.h"
#include "subscription/test_util.h"

namespace stdb::subscription {
namespace {

using namespace testing;

const std::vector<std::string> kQueries = {
    "SELECT * FROM a",
    "SELECT * FROM a WHERE x = 1",
    "SELECT * FROM b WHERE z = 2 AND a_id > 3",
    "SELECT a.* FROM a JOIN b ON a.id = b.a_id",
    "SELECT b.* FROM a JOIN b ON a.id = b.a_id WHERE a.x = 2",
    "SELECT c.* FROM b JOIN c ON b.id = c.b_id WHERE b.z = 1",
    "SELECT c.* FROM a JOIN b ON a.id = b.a_id JOIN c ON b.id = c.b_id WHERE a.x = 1",
    "SELECT a.* FROM a JOIN b ON a.id = b.a_id JOIN c ON b.id = c.b_id WHERE c.w = 3",
    "SELECT d.* FROM a JOIN b ON a.id = b.a_id JOIN c ON b.id = c.b_id JOIN d ON c.id = d.c_id",
    "SELECT b.* FROM a JOIN b ON a.id = b.a_id JOIN c ON b.id = c.b_id JOIN d ON c.id = d.c_id WHERE d.a_id = a.id",
    "SELECT x.* FROM b AS x JOIN b AS y ON x.a_id = y.a_id",
    "SELECT y.* FROM a AS x JOIN b ON x.id = b.a_id JOIN a AS y ON b.z = y.id WHERE x.y = 0",
};

struct Subscriber {
  ClientId client;
  uint32_t set;
  std::vector<std::string> queries;
  ClientCache cache;
};

void RunProperty(uint64_t seed, size_t max_tables, int steps) {
  TestDb db;
  RandomWorkload workload(db, seed);
  workload.Populate(8);
  std::vector<Subscriber> subscribers;
  // One client per query, plus one holding every query in one set and another query set of the same client
  // overlapping it.
  for (size_t i = 0; i < kQueries.size(); ++i) subscribers.push_back({Client(uint32_t(i)), 0, {kQueries[i]}, {}});
  subscribers.push_back({Client(100), 1, kQueries, {}});
  subscribers.push_back({Client(100), 2, {kQueries[3], kQueries[8], kQueries[10]}, {}});
  for (Subscriber& s : subscribers) {
    auto rows = db.Subscribe(s.client, User(), SubscriptionId::QuerySet(s.set), s.queries);
    ASSERT_TRUE(rows.ok()) << rows.error().message();
    s.cache.ApplyInitial(*rows);
  }
  ASSERT_EQ(db.manager().query_count(), kQueries.size());

  for (int step = 0; step < steps; ++step) {
    CommitUpdates updates = workload.Step(max_tables);
    ASSERT_TRUE(updates.failures.empty()) << updates.failures[0].error;
    for (const ClientUpdate& cu : updates.clients)
      for (const QuerySetUpdate& qs : cu.query_sets)
        for (const TableUpdate& t : qs.tables) {
          ASSERT_FALSE(t.queries.empty());
          for (const auto& q : t.queries) ASSERT_FALSE(q->empty()) << "empty update sent";
        }
    for (Subscriber& s : subscribers) {
      if (const ClientUpdate* cu = updates.Find(s.client)) {
        ASSERT_TRUE(s.cache.Apply(*cu, s.set)) << "a delete for a row the client does not have, seed " << seed;
      }
      Multiset expected;
      for (const std::string& q : s.queries)
        for (const auto& [row, n] : db.Evaluate(q, User())) expected[row] += n;
      ASSERT_EQ(s.cache.rows(), expected) << "seed " << seed << " step " << step << " set " << s.set << " "
                                          << s.queries[0];
    }
  }
  // Every query was evaluated at most once per commit, and pruning skipped some.
  EXPECT_LE(db.manager().stats().queries_evaluated, db.manager().stats().commits * kQueries.size());
}

TEST(SubscriptionPropertyTest, SingleTableChanges) {
  for (uint64_t seed : {11u, 12u}) RunProperty(seed, 1, 150);
}

TEST(SubscriptionPropertyTest, ChangesOverTwoTables) {
  for (uint64_t seed : {21u, 22u}) RunProperty(seed, 2, 150);
}

TEST(SubscriptionPropertyTest, ChangesOverAllFourTables) {
  for (uint64_t seed : {31u, 32u, 33u, 34u}) RunProperty(seed, 4, 200);
}

}  // namespace
}  // namespace stdb::subscription
