#include "server/client_hub.h"

#include "server/client_connection.h"

namespace stdb::server {

namespace {

bool ClientLess(const subscription::ClientId& a, const subscription::ClientId& b) {
  if (a.identity != b.identity) return a.identity < b.identity;
  return a.connection_id < b.connection_id;
}

protocol::BsatnRowList WireList(const std::shared_ptr<const sats::Bytes>& bytes) {
  auto list = protocol::BsatnRowList::FromWire(bytes);
  return list.ok() ? std::move(*list) : protocol::BsatnRowList();
}

}  // namespace

protocol::v2::TableUpdateRows ToWireRows(const subscription::QueryUpdate& update) {
  if (update.is_event()) return protocol::v2::EventTableRows{WireList(update.EncodedInserts())};
  return protocol::v2::PersistentTableRows{WireList(update.EncodedInserts()), WireList(update.EncodedDeletes())};
}

ClientHub::ClientHub(host::Database* db) : db_(db), connections_(&ClientLess) {
  db_->Run([this] { db_->AddCommitListener(this); });
}

ClientHub::~ClientHub() { Detach(); }

void ClientHub::Detach() {
  db_->Run([this] {
    detached_ = true;
    db_->RemoveCommitListener(this);
    for (auto& [id, conn] : connections_) conn->FlushAndClose(kCloseGoingAway, "module exited");
    connections_.clear();
  });
}

bool ClientHub::Add(const subscription::ClientId& id, std::shared_ptr<ClientConnection> connection) {
  if (detached_) return false;
  connections_[id] = std::move(connection);
  return true;
}

void ClientHub::Remove(const subscription::ClientId& id) {
  subscriptions_.RemoveClient(id);
  connections_.erase(id);
}

std::optional<subscription::ClientUpdate> ClientHub::TakeCallerUpdate(const subscription::ClientId& client) {
  if (!caller_update_ || !(caller_update_->client == client)) return std::nullopt;
  auto out = std::move(caller_update_);
  caller_update_.reset();
  return out;
}

protocol::v2::TransactionUpdate ClientHub::ToWire(absl::Span<const subscription::QuerySetUpdate> sets) {
  protocol::v2::TransactionUpdate out;
  for (const auto& set : sets) {
    protocol::v2::QuerySetUpdate wire_set;
    wire_set.query_set_id = set.query_set_id;
    for (const auto& table : set.tables) {
      std::vector<const subscription::QueryUpdate*> key;
      for (const auto& q : table.queries) key.push_back(q.get());
      auto it = encoded_.find(key);
      if (it == encoded_.end()) {
        protocol::v2::TableUpdate update;
        update.table_name = table.table_name();
        for (const auto& q : table.queries) update.rows.push_back(ToWireRows(*q));
        it = encoded_.emplace(std::move(key), protocol::v2::EncodedTableUpdate(update)).first;
      }
      wire_set.tables.push_back(it->second);
    }
    out.query_sets.push_back(std::move(wire_set));
  }
  return out;
}

void ClientHub::OnCommit(const host::CommitEvent& event) {
  caller_update_.reset();
  encoded_.clear();
  subscription::CommitUpdates updates =
      subscriptions_.OnCommit(event.tx, [&]() -> const datastore::DatabaseView& { return event.state(); });
  std::optional<subscription::ClientId> caller;
  if (event.reducer && !event.reducer->connection_id.IsZero())
    caller = subscription::ClientId{event.reducer->caller, event.reducer->connection_id};
  for (auto& client : updates.clients) {
    auto it = connections_.find(client.client);
    if (it == connections_.end()) continue;
    if (caller && client.client == *caller && it->second->TakesCallerUpdate()) {
      caller_update_ = std::move(client);
      continue;
    }
    it->second->SendTransactionUpdate(client, event);
  }
  for (const auto& failure : updates.failures) {
    auto it = connections_.find(failure.client);
    if (it != connections_.end()) it->second->SendSubscriptionFailure(failure);
  }
  encoded_.clear();
}

}  // namespace stdb::server
