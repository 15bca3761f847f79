// ClientHub: the WebSocket clients of one database and their subscriptions — the bridge between the database's
// commits and the clients' connections.
//
// After every commit (CommitListener::OnCommit, on the database thread) the hub asks the subscription manager
// what changed for whom and hands each affected connection its update, except the caller of the reducer that
// committed: a v2 caller gets its own update inside its ReducerResult, which the connection picks up with
// TakeCallerUpdate right after the call returns. Encoded pieces (row lists, table updates) are built once per
// commit and shared by every client that receives them.
//
// When the database closes, Detach closes every connection with 1001 "module exited" and forgets them, which
// releases their hold on the database.
//
// Thread-safety: constructed, detached and destroyed off the database thread (it registers and unregisters
// itself there); everything else runs on the database thread.
#pragma once

#include <map>
#include <memory>
#include <optional>

#include "absl/types/span.h"
#include "host/database.h"
#include "server/database_registry.h"
#include "server/protocol/v2_server_message.h"
#include "subscription/subscription_manager.h"

namespace stdb::server {

class ClientConnection;

class ClientHub : public host::CommitListener, public DatabaseAttachment {
 public:
  explicit ClientHub(host::Database* db);
  ~ClientHub() override;
  ClientHub(const ClientHub&) = delete;
  ClientHub& operator=(const ClientHub&) = delete;

  host::Database& db() { return *db_; }
  subscription::SubscriptionManager& subscriptions() { return subscriptions_; }

  // False once detached: the connection must not start.
  bool Add(const subscription::ClientId& id, std::shared_ptr<ClientConnection> connection);
  void Remove(const subscription::ClientId& id);
  size_t connection_count() const { return connections_.size(); }
  // DatabaseAttachment: closes every connection (1001 "module exited") and stops listening to commits.
  void Detach() override;

  // The update the last commit produced for `client`, when it was the committing reducer's caller.
  std::optional<subscription::ClientUpdate> TakeCallerUpdate(const subscription::ClientId& client);

  void OnCommit(const host::CommitEvent& event) override;

  // Converts a subscription update to wire form, reusing the pieces already built for this commit.
  protocol::v2::TransactionUpdate ToWire(absl::Span<const subscription::QuerySetUpdate> sets);

 private:
  host::Database* db_;
  subscription::SubscriptionManager subscriptions_;
  std::map<subscription::ClientId, std::shared_ptr<ClientConnection>, bool (*)(const subscription::ClientId&, const subscription::ClientId&)> connections_;
  bool detached_ = false;
  std::optional<subscription::ClientId> caller_;
  std::optional<subscription::ClientUpdate> caller_update_;
  // Per-commit cache: the wire form of each (table, queries) update, shared by the clients that receive it.
  std::map<std::vector<const subscription::QueryUpdate*>, protocol::v2::EncodedTableUpdate> encoded_;
};

// TableUpdateRows for one QueryUpdate (its row lists shared, not copied).
protocol::v2::TableUpdateRows ToWireRows(const subscription::QueryUpdate& update);

}  // namespace stdb::server
