#include "subscription/subscription_manager.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "sql/binder/schema_source.h"
#include "sql/execution/query_executor.h"

namespace stdb::subscription {

struct SubscriptionManager::QueryState {
  std::shared_ptr<const CompiledQuery> query;
  uint32_t id = 0;  // slot in query_slots_, the query's id in the PruningIndex
  absl::flat_hash_set<std::pair<ClientState*, uint32_t>> v2_subscribers;  // (client, query set id)
  absl::flat_hash_set<ClientState*> v1_subscribers;
  uint64_t references = 0;  // over all clients and subscriptions
  uint64_t mark = 0;        // OnCommit: the epoch in which it was last chosen as a candidate
};

struct SubscriptionManager::ClientState {
  ClientId id;
  absl::flat_hash_map<SubscriptionId, std::vector<QueryState*>> subscriptions;
  absl::flat_hash_map<QueryState*, uint32_t> references;     // per query, over every subscription
  absl::flat_hash_map<QueryState*, uint32_t> v1_references;  // per query, over v1 subscriptions
  uint64_t update_epoch = 0;  // OnCommit: the epoch of update_index
  size_t update_index = 0;
};

namespace {

std::string_view Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// `SELECT * FROM *`, any case and spacing (the reference's regex ^\s*SELECT\s+\*\s+FROM\s+\*\s*$).
bool IsSubscribeToAllTables(std::string_view sql) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < sql.size()) {
    while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
    size_t start = i;
    while (i < sql.size() && !std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
    if (i > start) words.push_back(sql.substr(start, i - start));
  }
  return words.size() == 4 && EqualsIgnoreCase(words[0], "select") && words[1] == "*" &&
         EqualsIgnoreCase(words[2], "from") && words[3] == "*";
}

std::string TableReference(const std::string& name) {
  bool plain = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0]));
  for (char c : name) plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  return plain ? name : "\"" + name + "\"";
}

template <typename Tables>
void AddToTable(Tables& tables, const std::shared_ptr<const QueryUpdate>& update) {
  for (TableUpdate& t : tables)
    if (t.table_id == update->table_id()) {
      t.queries.push_back(update);
      return;
    }
  tables.emplace_back();
  tables.back().table_id = update->table_id();
  tables.back().queries.push_back(update);
}

}  // namespace

const ClientUpdate* CommitUpdates::Find(const ClientId& client) const {
  for (const ClientUpdate& c : clients)
    if (c.client == client) return &c;
  return nullptr;
}

SubscriptionManager::SubscriptionManager() = default;
SubscriptionManager::~SubscriptionManager() = default;

Result<PreparedQueries> SubscriptionManager::Prepare(const sql::CallerContext& caller,
                                                     std::span<const std::string> texts,
                                                     const datastore::DatabaseView& schema_view,
                                                     const PrepareOptions& options) const {
  PreparedQueries prepared;
  prepared.caller = caller;
  sql::DatabaseViewSchema schema(schema_view);
  auto add = [&](std::string_view text) -> Status {
    // Already in this request, or compiled and in use (shared, or this caller's own)?
    std::vector<QueryKey> keys;
    if (caller.is_owner) {
      keys.push_back(QueryKey::ForCaller(text, caller.identity, true));
    } else {
      keys.push_back(QueryKey::Shared(text));
      keys.push_back(QueryKey::ForCaller(text, caller.identity, false));
    }
    for (const QueryKey& key : keys)
      for (const auto& q : prepared.queries)
        if (q->key() == key) return OkStatus();
    std::shared_ptr<const CompiledQuery> found;
    {
      std::lock_guard<std::mutex> lock(registry_mu_);
      for (const QueryKey& key : keys) {
        auto it = registry_.find(key);
        if (it != registry_.end()) {
          found = it->second;
          break;
        }
      }
    }
    if (!found) {
      STDB_ASSIGN_OR_RETURN(found, CompiledQuery::Compile(text, caller, schema));
      for (const auto& q : prepared.queries)
        if (q->key() == found->key()) return OkStatus();
    }
    prepared.queries.push_back(std::move(found));
    return OkStatus();
  };
  for (const std::string& raw : texts) {
    std::string_view text = options.trim ? Trim(raw) : std::string_view(raw);
    if (options.allow_all_tables && IsSubscribeToAllTables(text)) {
      for (const auto& [id, table] : schema_view.tables()) {
        const table::TableSchema& s = *table.schema;
        if (s.is_system || s.is_event || (!s.is_public && !caller.is_owner)) continue;
        STDB_RETURN_IF_ERROR(add("SELECT * FROM " + TableReference(s.name)));
      }
      continue;
    }
    STDB_RETURN_IF_ERROR(add(text));
  }
  return prepared;
}

Status SubscriptionManager::CheckState(const datastore::DatabaseView& state) const {
  if (next_tx_offset_ && state.tx_offset() != *next_tx_offset_)
    return Error(ErrorCode::kInternal,
                 "subscription state mismatch: the view was taken at tx offset " + std::to_string(state.tx_offset()) +
                     " but the last transaction given to the subscription manager leads to " +
                     std::to_string(*next_tx_offset_) + " (take the snapshot on the database thread right before "
                     "registering, and give every commit to OnCommit)");
  return OkStatus();
}

SubscriptionManager::QueryState* SubscriptionManager::GetOrAddQuery(const std::shared_ptr<const CompiledQuery>& query) {
  auto it = queries_.find(query->key());
  if (it != queries_.end()) return it->second.get();
  auto state = std::make_unique<QueryState>();
  state->query = query;
  if (!free_slots_.empty()) {
    state->id = free_slots_.back();
    free_slots_.pop_back();
    query_slots_[state->id] = state.get();
  } else {
    state->id = uint32_t(query_slots_.size());
    query_slots_.push_back(state.get());
  }
  pruning_.Add(state->id, query->triggers());
  {
    std::lock_guard<std::mutex> lock(registry_mu_);
    registry_.emplace(query->key(), query);
  }
  QueryState* raw = state.get();
  queries_.emplace(query->key(), std::move(state));
  return raw;
}

void SubscriptionManager::DropQuery(QueryState* query) {
  pruning_.Remove(query->id, query->query->triggers());
  query_slots_[query->id] = nullptr;
  free_slots_.push_back(query->id);
  {
    std::lock_guard<std::mutex> lock(registry_mu_);
    registry_.erase(query->query->key());
  }
  QueryKey key = query->query->key();
  queries_.erase(key);
}

Result<QuerySetEvaluation> SubscriptionManager::Register(const ClientId& client, SubscriptionId id,
                                                         const PreparedQueries& prepared,
                                                         std::shared_ptr<const datastore::DatabaseView> state) {
  if (!state) return Error(ErrorCode::kInvalidArgument, "Register needs the state the subscription starts from");
  STDB_RETURN_IF_ERROR(CheckState(*state));
  auto existing = clients_.find(client);
  if (id.kind != SubscriptionKind::kLegacy && existing != clients_.end() &&
      existing->second->subscriptions.contains(id))
    return Error(ErrorCode::kAlreadyExists,
                 "Subscription with id " + std::to_string(id.id) + " already exists for client " + client.ToString());
  if (!prepared.caller.is_owner) {
    STDB_ASSIGN_OR_RETURN(std::optional<uint64_t> limit, sql::ReadRowLimit(*state));
    if (limit) {
      uint64_t estimate = 0;
      for (const auto& q : prepared.queries) {
        if (queries_.contains(q->key())) continue;
        uint64_t e = q->EstimateRowsScanned(*state);
        estimate = estimate + e < estimate ? UINT64_MAX : estimate + e;
      }
      if (estimate > *limit)
        return Error(ErrorCode::kResourceExhausted, "Estimated cardinality (" + std::to_string(estimate) +
                                                        " rows) exceeds limit (" + std::to_string(*limit) + " rows)");
    }
  }

  ClientState* c;
  if (existing != clients_.end()) {
    c = existing->second.get();
  } else {
    auto fresh = std::make_unique<ClientState>();
    fresh->id = client;
    c = fresh.get();
    clients_.emplace(client, std::move(fresh));
  }
  // Add the new queries before dropping a replaced legacy subscription, so the queries both hold stay compiled.
  std::vector<QueryState*> states;
  states.reserve(prepared.queries.size());
  for (const auto& q : prepared.queries) {
    QueryState* s = GetOrAddQuery(q);
    ++s->references;  // keeps it alive through the legacy replacement below
    states.push_back(s);
  }
  if (id.kind == SubscriptionKind::kLegacy && c->subscriptions.contains(id)) RemoveSubscription(c, id);

  std::vector<std::shared_ptr<const CompiledQuery>> evaluate;
  for (QueryState* s : states) {
    ++c->references[s];
    if (id.is_v1()) {
      bool first = ++c->v1_references[s] == 1;
      if (first) s->v1_subscribers.insert(c);
      if (first || id.kind == SubscriptionKind::kLegacy) evaluate.push_back(s->query);
    } else {
      s->v2_subscribers.insert({c, id.id});
      evaluate.push_back(s->query);
    }
  }
  c->subscriptions.emplace(id, std::move(states));
  return QuerySetEvaluation(std::move(evaluate), std::move(state));
}

Result<std::vector<QueryRows>> SubscriptionManager::Subscribe(const ClientId& client, const sql::CallerContext& caller,
                                                              SubscriptionId id, std::span<const std::string> texts,
                                                              const datastore::DatabaseView& view,
                                                              const PrepareOptions& options) {
  STDB_ASSIGN_OR_RETURN(PreparedQueries prepared, Prepare(caller, texts, view, options));
  // The view outlives this call; the evaluation does not keep it.
  std::shared_ptr<const datastore::DatabaseView> borrowed(std::shared_ptr<void>(), &view);
  STDB_ASSIGN_OR_RETURN(QuerySetEvaluation evaluation, Register(client, id, prepared, borrowed));
  auto rows = evaluation.Collect();
  if (!rows.ok()) {
    auto it = clients_.find(client);
    if (it != clients_.end() && it->second->subscriptions.contains(id)) {
      RemoveSubscription(it->second.get(), id);
      if (it->second->subscriptions.empty()) clients_.erase(it);
    }
    return std::move(rows).error();
  }
  return rows;
}

std::vector<std::shared_ptr<const CompiledQuery>> SubscriptionManager::RemoveSubscription(ClientState* c,
                                                                                          SubscriptionId id) {
  std::vector<std::shared_ptr<const CompiledQuery>> leaving;
  auto it = c->subscriptions.find(id);
  if (it == c->subscriptions.end()) return leaving;
  std::vector<QueryState*> states = std::move(it->second);
  c->subscriptions.erase(it);
  for (QueryState* s : states) {
    if (id.is_v1()) {
      auto v1 = c->v1_references.find(s);
      if (--v1->second == 0) {
        c->v1_references.erase(v1);
        s->v1_subscribers.erase(c);
        leaving.push_back(s->query);
      }
    } else {
      s->v2_subscribers.erase({c, id.id});
      leaving.push_back(s->query);
    }
    auto refs = c->references.find(s);
    if (--refs->second == 0) c->references.erase(refs);
    if (--s->references == 0) DropQuery(s);
  }
  return leaving;
}

Result<QuerySetEvaluation> SubscriptionManager::Unsubscribe(const ClientId& client, SubscriptionId id,
                                                            std::shared_ptr<const datastore::DatabaseView> state) {
  auto it = clients_.find(client);
  if (it == clients_.end() || !it->second->subscriptions.contains(id))
    return Error(ErrorCode::kNotFound, "Subscription not found: " + id.ToString() + " of client " + client.ToString());
  if (state) STDB_RETURN_IF_ERROR(CheckState(*state));
  std::vector<std::shared_ptr<const CompiledQuery>> leaving = RemoveSubscription(it->second.get(), id);
  if (it->second->subscriptions.empty()) clients_.erase(it);
  return QuerySetEvaluation(std::move(leaving), std::move(state));
}

void SubscriptionManager::RemoveClient(const ClientId& client) {
  auto it = clients_.find(client);
  if (it == clients_.end()) return;
  ClientState* c = it->second.get();
  std::vector<SubscriptionId> ids;
  for (const auto& [id, queries] : c->subscriptions) ids.push_back(id);
  for (SubscriptionId id : ids) RemoveSubscription(c, id);
  clients_.erase(it);
}

bool SubscriptionManager::HasSubscription(const ClientId& client, SubscriptionId id) const {
  auto it = clients_.find(client);
  return it != clients_.end() && it->second->subscriptions.contains(id);
}

size_t SubscriptionManager::SubscriberCount(const QueryKey& key) const {
  auto it = queries_.find(key);
  return it == queries_.end() ? 0 : it->second->references;
}

CommitUpdates SubscriptionManager::OnCommit(const datastore::TxData& tx,
                                            const std::function<const datastore::DatabaseView&()>& after) {
  if (!queries_.empty()) return OnCommit(tx, after());
  CommitUpdates out;  // nothing to evaluate; only the position in the log moves on
  out.tx_offset = tx.tx_offset;
  if (tx.tx_offset) next_tx_offset_ = *tx.tx_offset + 1;
  ++stats_.commits;
  return out;
}

CommitUpdates SubscriptionManager::OnCommit(const datastore::TxData& tx, const datastore::DatabaseView& after) {
  CommitUpdates out;
  out.tx_offset = tx.tx_offset;
  if (tx.tx_offset) next_tx_offset_ = *tx.tx_offset + 1;
  ++stats_.commits;
  const uint64_t epoch = ++epoch_;

  // 1. The queries this transaction can affect.
  std::vector<QueryState*> candidates;
  for (const datastore::TableChanges& changes : tx.tables) {
    pruning_.ForEachCandidate(changes, after, [&](PruningIndex::QueryId id) {
      QueryState* s = query_slots_[id];
      if (s->mark == epoch) return;
      s->mark = epoch;
      candidates.push_back(s);
    });
  }
  if (candidates.empty()) return out;
  std::sort(candidates.begin(), candidates.end(), [](const QueryState* a, const QueryState* b) { return a->id < b->id; });

  // 2. Evaluate each once.
  std::vector<std::pair<QueryState*, std::shared_ptr<const QueryUpdate>>> updates;
  std::vector<std::pair<QueryState*, Error>> errors;
  for (QueryState* s : candidates) {
    DeltaResult delta;
    DeltaStats dstats;
    Status status = s->query->EvaluateDelta(tx, after, delta, dstats);
    ++stats_.queries_evaluated;
    stats_.fragments_run += dstats.fragments_run;
    stats_.rows_scanned += dstats.rows_scanned;
    if (!status.ok()) {
      errors.emplace_back(s, QueryError(status.error(), s->query->text()));
      continue;
    }
    if (delta.empty()) continue;
    if (s->query->returns_event_table()) delta.deletes = datastore::RowList();
    updates.emplace_back(s, std::make_shared<const QueryUpdate>(s->query->table_id(), s->query->table_name(),
                                                                s->query->returns_event_table(),
                                                                std::move(delta.inserts), std::move(delta.deletes)));
    ++stats_.query_updates;
  }

  // 3. Subscriptions holding a failed query fail as a whole.
  absl::flat_hash_set<std::pair<ClientState*, SubscriptionId>> failed;
  absl::flat_hash_set<ClientState*> failed_v1_clients;
  for (const auto& [s, error] : errors) {
    for (const auto& [c, set] : s->v2_subscribers) {
      if (failed.insert({c, SubscriptionId::QuerySet(set)}).second)
        out.failures.push_back({c->id, SubscriptionId::QuerySet(set), error.message()});
    }
    for (ClientState* c : s->v1_subscribers) {
      failed_v1_clients.insert(c);
      for (const auto& [id, queries] : c->subscriptions) {
        if (!id.is_v1() || std::find(queries.begin(), queries.end(), s) == queries.end()) continue;
        if (failed.insert({c, id}).second) out.failures.push_back({c->id, id, error.message()});
      }
    }
  }

  // 4. Fan out: each update to every subscriber, grouped per client, subscription and table.
  auto client_update = [&](ClientState* c) -> ClientUpdate& {
    if (c->update_epoch != epoch) {
      c->update_epoch = epoch;
      c->update_index = out.clients.size();
      out.clients.emplace_back().client = c->id;
    }
    return out.clients[c->update_index];
  };
  size_t deliveries = 0;
  for (const auto& [s, update] : updates) deliveries += s->v2_subscribers.size() + s->v1_subscribers.size();
  out.clients.reserve(std::min(deliveries, clients_.size()));
  for (const auto& [s, update] : updates) {
    for (const auto& [c, set] : s->v2_subscribers) {
      if (!failed.empty() && failed.contains({c, SubscriptionId::QuerySet(set)})) continue;
      ClientUpdate& cu = client_update(c);
      QuerySetUpdate* qs = nullptr;
      for (QuerySetUpdate& candidate : cu.query_sets)
        if (candidate.query_set_id == set) qs = &candidate;
      if (!qs) {
        qs = &cu.query_sets.emplace_back();
        qs->query_set_id = set;
      }
      AddToTable(qs->tables, update);
    }
    for (ClientState* c : s->v1_subscribers) {
      if (failed_v1_clients.contains(c)) continue;
      AddToTable(client_update(c).tables, update);
    }
  }
  stats_.client_updates += out.clients.size();

  // 5. Drop the failed subscriptions.
  for (const SubscriptionFailure& f : out.failures) {
    auto it = clients_.find(f.client);
    if (it == clients_.end()) continue;
    RemoveSubscription(it->second.get(), f.subscription);
    if (it->second->subscriptions.empty()) clients_.erase(it);
  }
  return out;
}

}  // namespace stdb::subscription
