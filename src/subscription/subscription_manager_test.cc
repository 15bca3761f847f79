#include "subscription/subscription_manager.h"

#include <gtest/gtest.h>

#include <thread>

#include "subscription/test_util.h"

namespace stdb::subscription {
namespace {

using namespace testing;
using V = AlgebraicValue;

Multiset AsMultiset(const std::vector<QueryRows>& rows) {
  Multiset m;
  for (const QueryRows& q : rows) AddAll(m, q.rows);
  return m;
}

Multiset AsMultiset(const datastore::RowList& rows) {
  Multiset m;
  AddAll(m, rows);
  return m;
}

// people(id u32 unique, name string, age u32 indexed, owner identity indexed)
class ManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    people_ = db_.CreateTable("people",
                              {{"id", AlgebraicType::U32()},
                               {"name", AlgebraicType::String()},
                               {"age", AlgebraicType::U32()},
                               {"owner", AlgebraicType::Identity()}},
                              {{{0}, true}, {{2}}, {{3}}});
    for (uint32_t i = 0; i < 10; ++i) db_.Insert(people_, {Person(i, 20 + i % 3, 1 + i % 2)});
  }

  static std::vector<V> Person(uint32_t id, uint32_t age, uint8_t owner) {
    return {V::U32(id), V::String("p" + std::to_string(id)), V::U32(age), IdentityOf(owner).ToValue()};
  }
  static sats::Bytes PersonRow(uint32_t id, uint32_t age, uint8_t owner) { return Row(Person(id, age, owner)); }

  SubscriptionManager& manager() { return db_.manager(); }

  TestDb db_;
  table::TableId people_ = 0;
};

TEST_F(ManagerTest, SubscribeReturnsInitialRowsAndCommitsSendChanges) {
  auto rows = db_.Subscribe(Client(1), User(), SubscriptionId::QuerySet(7), {"SELECT * FROM people WHERE age = 21"});
  ASSERT_TRUE(rows.ok()) << rows.error().message();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].query->table_name(), "people");
  EXPECT_EQ(AsMultiset(*rows), db_.Evaluate("SELECT * FROM people WHERE age = 21", User()));
  EXPECT_EQ((*rows)[0].rows.size(), 3u);  // ids 1, 4, 7

  // An update of a matching row: its old version deleted, its new one inserted, in one message.
  auto updates = db_.Commit([&](datastore::MutTx& tx) -> Status {
    STDB_RETURN_IF_ERROR(tx.DeleteByValue(people_, PersonRow(1, 21, 2)));
    return tx.Insert(people_, Row({V::U32(1), V::String("renamed"), V::U32(21), IdentityOf(2).ToValue()})).ok()
               ? OkStatus()
               : Error(ErrorCode::kInternal, "insert");
  });
  ASSERT_EQ(updates.clients.size(), 1u);
  const ClientUpdate& cu = updates.clients[0];
  EXPECT_EQ(cu.client, Client(1));
  ASSERT_EQ(cu.query_sets.size(), 1u);
  EXPECT_EQ(cu.query_sets[0].query_set_id, 7u);
  ASSERT_EQ(cu.query_sets[0].tables.size(), 1u);
  EXPECT_EQ(cu.query_sets[0].tables[0].table_name(), "people");
  ASSERT_EQ(cu.query_sets[0].tables[0].queries.size(), 1u);
  const QueryUpdate& u = *cu.query_sets[0].tables[0].queries[0];
  EXPECT_EQ(AsMultiset(u.deletes()), AsMultiset([&] {
              datastore::RowList l;
              l.Add(PersonRow(1, 21, 2));
              return l;
            }()));
  EXPECT_EQ(u.inserts().size(), 1u);
  EXPECT_TRUE(cu.tables.empty());
  EXPECT_EQ(updates.Find(Client(1)), &cu);
  EXPECT_EQ(updates.Find(Client(2)), nullptr);

  // A change that does not touch the query's rows sends nothing: no empty updates.
  updates = db_.Insert(people_, {Person(100, 50, 1)});
  EXPECT_TRUE(updates.clients.empty());
  // A change of a row with age 21 that leaves the result (age 21 -> 22).
  updates = db_.Commit([&](datastore::MutTx& tx) -> Status {
    STDB_RETURN_IF_ERROR(tx.DeleteByValue(people_, PersonRow(4, 21, 1)));
    return tx.Insert(people_, PersonRow(4, 22, 1)).ok() ? OkStatus() : Error(ErrorCode::kInternal, "insert");
  });
  ASSERT_EQ(updates.clients.size(), 1u);
  const QueryUpdate& leave = *updates.clients[0].query_sets[0].tables[0].queries[0];
  EXPECT_EQ(leave.deletes().size(), 1u);
  EXPECT_EQ(leave.inserts().size(), 0u);
}

TEST_F(ManagerTest, OneEvaluationAndOneEncodingForManyClients) {
  const std::string sql = "SELECT * FROM people WHERE age > 20";
  for (uint32_t c = 0; c < 1000; ++c) {
    auto rows = db_.Subscribe(Client(c), User(), SubscriptionId::QuerySet(0), {sql});
    ASSERT_TRUE(rows.ok()) << rows.error().message();
  }
  EXPECT_EQ(manager().query_count(), 1u);
  EXPECT_EQ(manager().client_count(), 1000u);
  EXPECT_EQ(manager().SubscriberCount(QueryKey::Shared(sql)), 1000u);

  uint64_t evaluated = manager().stats().queries_evaluated;
  auto updates = db_.Insert(people_, {Person(200, 30, 1)});
  EXPECT_EQ(manager().stats().queries_evaluated, evaluated + 1);
  ASSERT_EQ(updates.clients.size(), 1000u);
  const QueryUpdate* shared = updates.clients[0].query_sets[0].tables[0].queries[0].get();
  for (const ClientUpdate& cu : updates.clients) {
    ASSERT_EQ(cu.query_sets[0].tables[0].queries[0].get(), shared);
  }
  // One encoding, whoever asks.
  EXPECT_EQ(updates.clients[0].query_sets[0].tables[0].queries[0]->EncodedInserts().get(),
            updates.clients[999].query_sets[0].tables[0].queries[0]->EncodedInserts().get());
}

TEST_F(ManagerTest, EqualityConstantsPruneEvaluations) {
  // One query per id, and one per owner: a transaction touching id 7 evaluates only the queries it can affect.
  for (uint32_t id = 0; id < 10; ++id) {
    auto rows = db_.Subscribe(Client(id), User(), SubscriptionId::QuerySet(1),
                              {"SELECT * FROM people WHERE id = " + std::to_string(id)});
    ASSERT_TRUE(rows.ok()) << rows.error().message();
    ASSERT_EQ((*rows)[0].rows.size(), 1u);
  }
  EXPECT_EQ(manager().query_count(), 10u);

  uint64_t evaluated = manager().stats().queries_evaluated;
  auto updates = db_.Commit([&](datastore::MutTx& tx) -> Status {
    STDB_RETURN_IF_ERROR(tx.DeleteByValue(people_, PersonRow(7, 21, 2)));
    return tx.Insert(people_, PersonRow(7, 40, 2)).ok() ? OkStatus() : Error(ErrorCode::kInternal, "insert");
  });
  EXPECT_EQ(manager().stats().queries_evaluated, evaluated + 1);  // only `id = 7`
  ASSERT_EQ(updates.clients.size(), 1u);
  EXPECT_EQ(updates.clients[0].client, Client(7));

  // A row whose id no query names: nothing evaluated.
  evaluated = manager().stats().queries_evaluated;
  updates = db_.Insert(people_, {Person(55, 20, 1)});
  EXPECT_EQ(manager().stats().queries_evaluated, evaluated);
  EXPECT_TRUE(updates.clients.empty());

  // A transaction touching ids 5 and 7 evaluates exactly those two.
  evaluated = manager().stats().queries_evaluated;
  db_.Delete(people_, {Person(5, 22, 2), Person(7, 40, 2)});
  EXPECT_EQ(manager().stats().queries_evaluated, evaluated + 2);
}

TEST_F(ManagerTest, JoinsArePrunedThroughThePartnerRow) {
  // footprint/location: one query per chunk; a footprint change is evaluated only by its entity's chunk query.
  auto fp = db_.CreateTable("footprint", {{"entity", AlgebraicType::U64()}, {"kind", AlgebraicType::U8()}}, {{{0}}});
  auto loc = db_.CreateTable("location", {{"entity", AlgebraicType::U64()}, {"chunk", AlgebraicType::U64()}},
                             {{{0}}, {{1}}});
  for (uint64_t e = 0; e < 100; ++e) {
    db_.Insert(fp, {{V::U64(e), V::U8(0)}});
    db_.Insert(loc, {{V::U64(e), V::U64(e / 10)}});
  }
  for (uint64_t chunk = 0; chunk < 10; ++chunk) {
    auto rows = db_.Subscribe(Client(uint32_t(chunk)), User(), SubscriptionId::QuerySet(0),
                              {"SELECT f.* FROM footprint f JOIN location l ON f.entity = l.entity WHERE l.chunk = " +
                               std::to_string(chunk)});
    ASSERT_TRUE(rows.ok()) << rows.error().message();
    ASSERT_EQ((*rows)[0].rows.size(), 10u);
  }
  uint64_t evaluated = manager().stats().queries_evaluated;
  auto updates = db_.Commit([&](datastore::MutTx& tx) -> Status {
    STDB_RETURN_IF_ERROR(tx.DeleteByValue(fp, Row({V::U64(42), V::U8(0)})));
    return tx.Insert(fp, Row({V::U64(42), V::U8(1)})).ok() ? OkStatus() : Error(ErrorCode::kInternal, "insert");
  });
  EXPECT_EQ(manager().stats().queries_evaluated, evaluated + 1);
  ASSERT_EQ(updates.clients.size(), 1u);
  EXPECT_EQ(updates.clients[0].client, Client(4));
  // Moving entity 42 from chunk 4 to chunk 7: the two chunk queries, through location's own equality.
  evaluated = manager().stats().queries_evaluated;
  updates = db_.Commit([&](datastore::MutTx& tx) -> Status {
    STDB_RETURN_IF_ERROR(tx.DeleteByValue(loc, Row({V::U64(42), V::U64(4)})));
    return tx.Insert(loc, Row({V::U64(42), V::U64(7)})).ok() ? OkStatus() : Error(ErrorCode::kInternal, "insert");
  });
  EXPECT_EQ(manager().stats().queries_evaluated, evaluated + 2);
  EXPECT_EQ(updates.clients.size(), 2u);
  // A footprint of an entity without a location: nothing to evaluate.
  evaluated = manager().stats().queries_evaluated;
  EXPECT_TRUE(db_.Insert(fp, {{V::U64(500), V::U8(0)}}).clients.empty());
  EXPECT_EQ(manager().stats().queries_evaluated, evaluated);
}

TEST_F(ManagerTest, UnsubscribeReturnsTheRowsThatLeave) {
  const std::string sql = "SELECT * FROM people WHERE owner = 0x" + IdentityOf(1).ToHex();
  auto rows = db_.Subscribe(Client(1), User(), SubscriptionId::QuerySet(3), {sql});
  ASSERT_TRUE(rows.ok()) << rows.error().message();
  db_.Insert(people_, {Person(300, 1, 1)});

  auto snapshot = db_.Snapshot();
  auto dropped = manager().Unsubscribe(Client(1), SubscriptionId::QuerySet(3), snapshot);
  ASSERT_TRUE(dropped.ok()) << dropped.error().message();
  auto dropped_rows = dropped->Collect();
  ASSERT_TRUE(dropped_rows.ok());
  EXPECT_EQ(AsMultiset(*dropped_rows), db_.Evaluate(sql, User()));
  EXPECT_EQ((*dropped_rows)[0].rows.size(), 6u);
  EXPECT_EQ(manager().query_count(), 0u);
  EXPECT_EQ(manager().client_count(), 0u);

  // Nothing is sent any more, and the set id is free again.
  EXPECT_TRUE(db_.Insert(people_, {Person(301, 1, 1)}).clients.empty());
  auto again = manager().Unsubscribe(Client(1), SubscriptionId::QuerySet(3), nullptr);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(db_.Subscribe(Client(1), User(), SubscriptionId::QuerySet(3), {sql}).ok());
  // Without a view, no rows.
  auto silent = manager().Unsubscribe(Client(1), SubscriptionId::QuerySet(3), nullptr);
  ASSERT_TRUE(silent.ok());
  EXPECT_FALSE(silent->Collect().ok());
}

TEST_F(ManagerTest, OverlappingQuerySetsKeepTheQueryAlive) {
  const std::string young = "SELECT * FROM people WHERE age = 20";
  const std::string old = "SELECT * FROM people WHERE age = 22";
  ASSERT_TRUE(db_.Subscribe(Client(1), User(), SubscriptionId::QuerySet(1), {young, old}).ok());
  auto second = db_.Subscribe(Client(1), User(), SubscriptionId::QuerySet(2), {old});
  ASSERT_TRUE(second.ok());
  // v2: each set gets the rows of all its queries.
  EXPECT_EQ(AsMultiset(*second), db_.Evaluate(old, User()));
  EXPECT_EQ(manager().query_count(), 2u);
  EXPECT_EQ(manager().SubscriberCount(QueryKey::Shared(old)), 2u);

  // A change of `old` reaches both sets.
  auto updates = db_.Insert(people_, {Person(400, 22, 1)});
  ASSERT_EQ(updates.clients.size(), 1u);
  EXPECT_EQ(updates.clients[0].query_sets.size(), 2u);

  // Dropping set 1 removes `young` and returns both queries' rows; `old` stays for set 2.
  auto dropped = manager().Unsubscribe(Client(1), SubscriptionId::QuerySet(1), db_.Snapshot());
  ASSERT_TRUE(dropped.ok());
  EXPECT_EQ(dropped->queries().size(), 2u);
  EXPECT_EQ(manager().query_count(), 1u);
  EXPECT_EQ(manager().SubscriberCount(QueryKey::Shared(old)), 1u);
  EXPECT_EQ(manager().SubscriberCount(QueryKey::Shared(young)), 0u);
  updates = db_.Insert(people_, {Person(401, 22, 1), Person(402, 20, 1)});
  ASSERT_EQ(updates.clients.size(), 1u);
  ASSERT_EQ(updates.clients[0].query_sets.size(), 1u);
  EXPECT_EQ(updates.clients[0].query_sets[0].query_set_id, 2u);
  EXPECT_EQ(updates.clients[0].query_sets[0].tables[0].queries[0]->inserts().size(), 1u);

  // A duplicate set id is refused.
  auto dup = db_.Subscribe(Client(1), User(), SubscriptionId::QuerySet(2), {young});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(manager().query_count(), 1u);
}

TEST_F(ManagerTest, V1SubscriptionsDeliverEachQueryOncePerClient) {
  const std::string q = "SELECT * FROM people WHERE age = 20";
  const std::string r = "SELECT * FROM people WHERE age = 21";
  auto first = db_.Subscribe(Client(1), User(), SubscriptionId::QueryId(1), {q});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->size(), 1u);
  // The client already holds q: a second QueryId subscription returns only the new query's rows.
  auto second = db_.Subscribe(Client(1), User(), SubscriptionId::QueryId(2), {q, r});
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ((*second)[0].query->text(), r);

  auto updates = db_.Insert(people_, {Person(500, 20, 1)});
  ASSERT_EQ(updates.clients.size(), 1u);
  EXPECT_TRUE(updates.clients[0].query_sets.empty());
  ASSERT_EQ(updates.clients[0].tables.size(), 1u);
  EXPECT_EQ(updates.clients[0].tables[0].queries.size(), 1u);  // q once, not once per subscription

  // Dropping QueryId 1 drops no rows (q is still held by QueryId 2); dropping 2 drops both.
  auto d1 = manager().Unsubscribe(Client(1), SubscriptionId::QueryId(1), db_.Snapshot());
  ASSERT_TRUE(d1.ok());
  EXPECT_TRUE(d1->queries().empty());
  auto d2 = manager().Unsubscribe(Client(1), SubscriptionId::QueryId(2), db_.Snapshot());
  ASSERT_TRUE(d2.ok());
  EXPECT_EQ(d2->queries().size(), 2u);
  EXPECT_EQ(manager().query_count(), 0u);

  // Legacy Subscribe replaces the whole set.
  ASSERT_TRUE(db_.Subscribe(Client(2), User(), SubscriptionId::Legacy(), {q, r}).ok());
  EXPECT_EQ(manager().query_count(), 2u);
  auto replaced = db_.Subscribe(Client(2), User(), SubscriptionId::Legacy(), {r});
  ASSERT_TRUE(replaced.ok());
  EXPECT_EQ(replaced->size(), 1u);
  EXPECT_EQ(manager().query_count(), 1u);
  EXPECT_EQ(manager().SubscriberCount(QueryKey::Shared(r)), 1u);
}

TEST_F(ManagerTest, SenderQueriesArePerClient) {
  const std::string mine = "SELECT * FROM people WHERE owner = :sender";
  auto a = db_.Subscribe(Client(1, 1), User(1), SubscriptionId::QuerySet(0), {mine});
  auto b = db_.Subscribe(Client(2, 2), User(2), SubscriptionId::QuerySet(0), {mine});
  auto b2 = db_.Subscribe(Client(3, 2), User(2), SubscriptionId::QuerySet(0), {mine});  // same identity
  ASSERT_TRUE(a.ok() && b.ok() && b2.ok());
  EXPECT_EQ(manager().query_count(), 2u);  // one per identity
  EXPECT_EQ(AsMultiset(*a), db_.Evaluate("SELECT * FROM people WHERE owner = 0x" + IdentityOf(1).ToHex(), User()));
  EXPECT_EQ(AsMultiset(*b), db_.Evaluate("SELECT * FROM people WHERE owner = 0x" + IdentityOf(2).ToHex(), User()));
  EXPECT_EQ(AsMultiset(*b), AsMultiset(*b2));

  uint64_t evaluated = manager().stats().queries_evaluated;
  auto updates = db_.Insert(people_, {Person(600, 30, 2)});
  EXPECT_EQ(manager().stats().queries_evaluated, evaluated + 1);  // pruned by the :sender value
  ASSERT_EQ(updates.clients.size(), 2u);
  for (const ClientUpdate& cu : updates.clients) EXPECT_NE(cu.client, Client(1, 1));
}

TEST_F(ManagerTest, RowLevelSecurityAppliesToClientsNotTheOwner) {
  db_.AddRlsRule(people_, "SELECT * FROM people WHERE owner = :sender");
  const std::string all = "SELECT * FROM people";
  auto client = db_.Subscribe(Client(1, 1), User(1), SubscriptionId::QuerySet(0), {all});
  auto owner = db_.Subscribe(Client(2, 0x99), Owner(), SubscriptionId::QuerySet(0), {all});
  ASSERT_TRUE(client.ok() && owner.ok());
  EXPECT_EQ((*client)[0].rows.size(), 5u);
  EXPECT_EQ((*owner)[0].rows.size(), 10u);
  EXPECT_EQ(manager().query_count(), 2u);
  EXPECT_FALSE((*client)[0].query->compiled_for_owner());
  EXPECT_TRUE((*owner)[0].query->compiled_for_owner());

  // A row of identity 2: only the owner sees it.
  auto updates = db_.Insert(people_, {Person(700, 30, 2)});
  ASSERT_EQ(updates.clients.size(), 1u);
  EXPECT_EQ(updates.clients[0].client, Client(2, 0x99));
  updates = db_.Insert(people_, {Person(701, 30, 1)});
  EXPECT_EQ(updates.clients.size(), 2u);
}

TEST_F(ManagerTest, RowLevelSecurityThroughAJoinFollowsTheOtherTable) {
  // Documents are visible to the members of their group; joining a group makes its documents appear.
  auto docs = db_.CreateTable("doc", {{"id", AlgebraicType::U32()}, {"grp", AlgebraicType::U32()}}, {{{0}, true}, {{1}}});
  auto members = db_.CreateTable("member", {{"grp", AlgebraicType::U32()}, {"user", AlgebraicType::Identity()}},
                                 {{{0}}, {{1}}});
  db_.AddRlsRule(docs, "SELECT doc.* FROM doc JOIN member ON doc.grp = member.grp WHERE member.user = :sender");
  db_.Insert(docs, {{V::U32(1), V::U32(10)}, {V::U32(2), V::U32(10)}, {V::U32(3), V::U32(20)}});
  db_.Insert(members, {{V::U32(20), IdentityOf(1).ToValue()}});

  auto rows = db_.Subscribe(Client(1, 1), User(1), SubscriptionId::QuerySet(0), {"SELECT * FROM doc"});
  ASSERT_TRUE(rows.ok()) << rows.error().message();
  EXPECT_EQ((*rows)[0].rows.size(), 1u);  // doc 3

  ClientCache cache;
  cache.ApplyInitial(*rows);
  auto updates = db_.Insert(members, {{V::U32(10), IdentityOf(1).ToValue()}});
  ASSERT_EQ(updates.clients.size(), 1u);
  ASSERT_TRUE(cache.Apply(updates.clients[0], 0u));
  EXPECT_EQ(cache.rows(), db_.Evaluate("SELECT * FROM doc", User(1)));
  EXPECT_EQ(cache.rows().size(), 3u);
  // Another user's membership changes nothing for this client.
  updates = db_.Insert(members, {{V::U32(10), IdentityOf(2).ToValue()}});
  EXPECT_TRUE(updates.clients.empty());
  // Leaving group 20 removes doc 3.
  updates = db_.Delete(members, {{V::U32(20), IdentityOf(1).ToValue()}});
  ASSERT_EQ(updates.clients.size(), 1u);
  ASSERT_TRUE(cache.Apply(updates.clients[0], 0u));
  EXPECT_EQ(cache.rows(), db_.Evaluate("SELECT * FROM doc", User(1)));
  EXPECT_EQ(cache.rows().size(), 2u);
}

TEST_F(ManagerTest, ErrorsRegisterNothing) {
  db_.CreateTable("secret", {{"id", AlgebraicType::U32()}}, {}, /*is_public=*/false);
  auto bad = db_.Subscribe(Client(1), User(), SubscriptionId::QuerySet(0),
                           {"SELECT * FROM people", "SELECT * FROM nope"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("executing: `SELECT * FROM nope`"), std::string::npos);
  EXPECT_EQ(manager().query_count(), 0u);
  EXPECT_EQ(manager().client_count(), 0u);
  EXPECT_FALSE(manager().HasSubscription(Client(1), SubscriptionId::QuerySet(0)));

  EXPECT_FALSE(db_.Subscribe(Client(1), User(), SubscriptionId::QuerySet(0), {"SELECT * FROM secret"}).ok());
  EXPECT_FALSE(db_.Subscribe(Client(1), User(), SubscriptionId::QuerySet(0), {"SELECT name FROM people"}).ok());
  EXPECT_FALSE(db_.Subscribe(Client(1), User(), SubscriptionId::QuerySet(0), {"SELECT * FROM people LIMIT 1"}).ok());
  EXPECT_EQ(manager().query_count(), 0u);
  EXPECT_TRUE(db_.Subscribe(Client(1), Owner(), SubscriptionId::QuerySet(0), {"SELECT * FROM secret"}).ok());

  // The row limit (st_var) binds clients, not the owner.
  auto set = sql::RunSql("SET row_limit = 4", db_.ds(), Owner());
  ASSERT_TRUE(set.ok()) << set.error().message();
  manager().OnCommit(*set->tx_data, *db_.View());
  auto limited = db_.Subscribe(Client(2), User(), SubscriptionId::QuerySet(0), {"SELECT * FROM people"});
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.error().message(), "Estimated cardinality (10 rows) exceeds limit (4 rows)");
  EXPECT_FALSE(manager().HasSubscription(Client(2), SubscriptionId::QuerySet(0)));
  EXPECT_TRUE(db_.Subscribe(Client(2), Owner(), SubscriptionId::QuerySet(0), {"SELECT * FROM people"}).ok());
  EXPECT_TRUE(db_.Subscribe(Client(3), User(), SubscriptionId::QuerySet(0), {"SELECT * FROM people WHERE id = 1"}).ok());
}

TEST_F(ManagerTest, SubscribeToAllTables) {
  db_.CreateTable("other", {{"id", AlgebraicType::U32()}});
  db_.CreateTable("hidden", {{"id", AlgebraicType::U32()}}, {}, /*is_public=*/false);
  db_.CreateTable("events", {{"id", AlgebraicType::U32()}}, {}, true, /*is_event=*/true);
  auto rows = db_.Subscribe(Client(1), User(), SubscriptionId::QuerySet(0), {"  select *  FROM * "});
  ASSERT_TRUE(rows.ok()) << rows.error().message();
  std::vector<std::string> texts;
  for (const QueryRows& q : *rows) texts.push_back(q.query->text());
  EXPECT_EQ(texts, (std::vector<std::string>{"SELECT * FROM people", "SELECT * FROM other"}));
  auto owner = db_.Subscribe(Client(2), Owner(), SubscriptionId::QuerySet(0), {"SELECT * FROM *"});
  ASSERT_TRUE(owner.ok());
  EXPECT_EQ(owner->size(), 3u);
  // v1 SubscribeSingle does not expand it.
  PrepareOptions single;
  single.trim = false;
  single.allow_all_tables = false;
  auto view = db_.View();
  EXPECT_FALSE(manager().Prepare(User(), std::vector<std::string>{"SELECT * FROM *"}, *view, single).ok());
  // Trimming: v2 trims, v1 SubscribeSingle keeps the text as sent (a different query).
  auto trimmed = manager().Prepare(User(), std::vector<std::string>{" SELECT * FROM people "}, *view);
  ASSERT_TRUE(trimmed.ok());
  EXPECT_EQ(trimmed->queries[0]->text(), "SELECT * FROM people");
  auto untrimmed = manager().Prepare(User(), std::vector<std::string>{" SELECT * FROM people "}, *view, single);
  ASSERT_TRUE(untrimmed.ok());
  EXPECT_EQ(untrimmed->queries[0]->text(), " SELECT * FROM people ");
}

TEST_F(ManagerTest, PrepareReusesCompiledQueries) {
  const std::string sql = "SELECT * FROM people WHERE age = 20";
  ASSERT_TRUE(db_.Subscribe(Client(1), User(), SubscriptionId::QuerySet(0), {sql}).ok());
  auto view = db_.View();
  auto prepared = manager().Prepare(User(5), std::vector<std::string>{sql, sql}, *view);
  ASSERT_TRUE(prepared.ok());
  ASSERT_EQ(prepared->queries.size(), 1u);  // duplicates within a request collapse
  auto registered = db_.Subscribe(Client(9), User(), SubscriptionId::QuerySet(0), {sql});
  ASSERT_TRUE(registered.ok());
  EXPECT_EQ(prepared->queries[0].get(), (*registered)[0].query.get());
}

TEST_F(ManagerTest, EventTablesSendEventsOnly) {
  auto ev = db_.CreateTable("ping", {{"n", AlgebraicType::U32()}}, {}, true, /*is_event=*/true);
  auto rows = db_.Subscribe(Client(1), User(), SubscriptionId::QuerySet(0), {"SELECT * FROM ping"});
  ASSERT_TRUE(rows.ok());
  EXPECT_TRUE((*rows)[0].rows.empty());
  auto updates = db_.Insert(ev, {{V::U32(1)}, {V::U32(2)}});
  ASSERT_EQ(updates.clients.size(), 1u);
  const QueryUpdate& u = *updates.clients[0].query_sets[0].tables[0].queries[0];
  EXPECT_TRUE(u.is_event());
  EXPECT_EQ(u.inserts().size(), 2u);
  EXPECT_TRUE(u.deletes().empty());
}

TEST_F(ManagerTest, RemoveClientDropsItsQueries) {
  ASSERT_TRUE(db_.Subscribe(Client(1), User(), SubscriptionId::QuerySet(0), {"SELECT * FROM people"}).ok());
  ASSERT_TRUE(db_.Subscribe(Client(1), User(), SubscriptionId::QuerySet(1), {"SELECT * FROM people WHERE id = 3"}).ok());
  ASSERT_TRUE(db_.Subscribe(Client(2), User(), SubscriptionId::QuerySet(0), {"SELECT * FROM people"}).ok());
  manager().RemoveClient(Client(1));
  EXPECT_EQ(manager().client_count(), 1u);
  EXPECT_EQ(manager().query_count(), 1u);
  auto updates = db_.Insert(people_, {Person(800, 1, 1)});
  ASSERT_EQ(updates.clients.size(), 1u);
  EXPECT_EQ(updates.clients[0].client, Client(2));
  manager().RemoveClient(Client(2));
  manager().RemoveClient(Client(2));  // unknown: nothing to do
  EXPECT_EQ(manager().query_count(), 0u);
}

TEST_F(ManagerTest, AQueryFailingAtUpdateTimeFailsItsSubscriptions) {
  auto t = db_.CreateTable("t", {{"id", AlgebraicType::U32()}}, {{{0}, true}});
  auto s = db_.CreateTable("s", {{"id", AlgebraicType::U32()}, {"t_id", AlgebraicType::U32()}}, {{{0}, true}, {{1}}});
  db_.Insert(s, {{V::U32(1), V::U32(1)}});
  ASSERT_TRUE(db_.Subscribe(Client(1), User(), SubscriptionId::QuerySet(4),
                            {"SELECT t.* FROM t JOIN s ON t.id = s.t_id", "SELECT * FROM people"})
                  .ok());
  ASSERT_TRUE(db_.Subscribe(Client(2), User(), SubscriptionId::QuerySet(0), {"SELECT * FROM people"}).ok());
  // Dropping s while inserting into t (and people): the join's delta can no longer read s.
  auto updates = db_.Commit([&](datastore::MutTx& tx) -> Status {
    STDB_RETURN_IF_ERROR(tx.Insert(t, Row({V::U32(1)})));
    STDB_RETURN_IF_ERROR(tx.Insert(people_, PersonRow(900, 1, 1)));
    return tx.DropTable(s);
  });
  ASSERT_EQ(updates.failures.size(), 1u);
  EXPECT_EQ(updates.failures[0].client, Client(1));
  EXPECT_EQ(updates.failures[0].subscription, SubscriptionId::QuerySet(4));
  EXPECT_NE(updates.failures[0].error.find("executing: `SELECT t.* FROM t JOIN s ON t.id = s.t_id`"),
            std::string::npos);
  // The failed set receives nothing; the other client gets its update; the failed set is gone.
  ASSERT_EQ(updates.clients.size(), 1u);
  EXPECT_EQ(updates.clients[0].client, Client(2));
  EXPECT_FALSE(manager().HasSubscription(Client(1), SubscriptionId::QuerySet(4)));
  EXPECT_EQ(manager().query_count(), 1u);
}

TEST_F(ManagerTest, RegisterChecksTheStateIsCurrent) {
  auto stale = db_.Snapshot();
  db_.Insert(people_, {Person(1000, 1, 1)});
  auto view = db_.View();
  auto prepared = manager().Prepare(User(), std::vector<std::string>{"SELECT * FROM people"}, *view);
  ASSERT_TRUE(prepared.ok());
  auto registered = manager().Register(Client(1), SubscriptionId::QuerySet(0), *prepared, stale);
  ASSERT_FALSE(registered.ok());
  EXPECT_NE(registered.error().message().find("state mismatch"), std::string::npos);
  EXPECT_EQ(manager().client_count(), 0u);
  EXPECT_TRUE(manager().Register(Client(1), SubscriptionId::QuerySet(0), *prepared, db_.Snapshot()).ok());
}

TEST_F(ManagerTest, AFailedInitialEvaluationIsUndoneWithUnsubscribe) {
  // Compiled before the table is dropped, registered after: evaluating the initial rows fails.
  auto gone = db_.CreateTable("gone", {{"id", AlgebraicType::U32()}});
  auto prepared = manager().Prepare(User(), std::vector<std::string>{"SELECT * FROM gone"}, *db_.View());
  ASSERT_TRUE(prepared.ok());
  db_.Commit([&](datastore::MutTx& tx) { return tx.DropTable(gone); });
  auto evaluation = manager().Register(Client(1), SubscriptionId::QuerySet(0), *prepared, db_.Snapshot());
  ASSERT_TRUE(evaluation.ok());
  auto rows = evaluation->Collect();
  ASSERT_FALSE(rows.ok());
  EXPECT_NE(rows.error().message().find("no longer exists"), std::string::npos) << rows.error().message();
  // The server drops the subscription (and the updates it held) and reports SubscriptionError.
  ASSERT_TRUE(manager().Unsubscribe(Client(1), SubscriptionId::QuerySet(0), nullptr).ok());
  EXPECT_EQ(manager().query_count(), 0u);
  EXPECT_EQ(manager().client_count(), 0u);
}

// The initial rows are evaluated on another thread from a snapshot while the database thread keeps committing;
// the client applies them, then every update produced after registration: it ends with the final state.
TEST_F(ManagerTest, InitialEvaluationOnAnotherThreadWhileCommitting) {
  auto big = db_.CreateTable("big", {{"id", AlgebraicType::U32()}, {"v", AlgebraicType::U32()}}, {{{0}, true}, {{1}}});
  db_.Commit([&](datastore::MutTx& tx) -> Status {
    for (uint32_t i = 0; i < 50000; ++i) STDB_RETURN_IF_ERROR(tx.Insert(big, Row({V::U32(i), V::U32(i % 7)})));
    return OkStatus();
  });
  const std::vector<std::string> queries = {"SELECT * FROM big WHERE v < 3", "SELECT * FROM big WHERE v = 5"};

  // 1. Prepare (could be any thread). 2. Register with a snapshot of this instant (database thread).
  auto prepared = manager().Prepare(User(), queries, *db_.Snapshot());
  ASSERT_TRUE(prepared.ok());
  auto evaluation = manager().Register(Client(1), SubscriptionId::QuerySet(0), *prepared, db_.Snapshot());
  ASSERT_TRUE(evaluation.ok());
  // 3. Evaluate elsewhere while this thread commits; hold the client's updates meanwhile.
  Result<std::vector<QueryRows>> initial = Error(ErrorCode::kInternal, "not run");
  std::thread reader([&] { initial = evaluation->Collect(); });
  std::vector<ClientUpdate> held;
  std::mt19937 rng(7);
  for (int i = 0; i < 300; ++i) {
    uint32_t id = rng() % 60000;
    auto updates = db_.Commit([&](datastore::MutTx& tx) -> Status {
      // Move a row to another value class, or insert/delete one.
      auto deleted = tx.DeleteByValue(big, Row({V::U32(id), V::U32(id % 7)}));
      if (!deleted.ok()) return std::move(deleted).error();
      if (!*deleted) return tx.Insert(big, Row({V::U32(id), V::U32(id % 7)})).ok() ? OkStatus()
                                                                                     : Error(ErrorCode::kInternal, "");
      return OkStatus();
    });
    if (const ClientUpdate* cu = updates.Find(Client(1))) held.push_back(*cu);
  }
  reader.join();
  ASSERT_TRUE(initial.ok()) << initial.error().message();
  ClientCache cache;
  cache.ApplyInitial(*initial);
  for (const ClientUpdate& u : held) ASSERT_TRUE(cache.Apply(u, 0u));
  Multiset expected = db_.Evaluate(queries[0], User());
  for (const auto& [row, n] : db_.Evaluate(queries[1], User())) expected[row] += n;
  EXPECT_EQ(cache.rows(), expected);
  EXPECT_FALSE(held.empty());
}

}  // namespace
}  // namespace stdb::subscription
