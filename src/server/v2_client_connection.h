// V2ClientConnection: a WebSocket client speaking the v2 message schema (spec/client-protocol.md §4), framed one
// message per WebSocket message (`v2.bsatn.spacetimedb`) or several (`v3.bsatn.spacetimedb`, §5).
//
// Subscriptions are query sets; the caller of a reducer gets its own changes inside ReducerResult, everyone else
// a TransactionUpdate. Initial rows and one-off queries are evaluated on a worker thread from a snapshot taken
// on the database thread. Message-level failures of reducer and procedure calls are answered in their results;
// an undecodable message closes the connection with 1011.
//
// Thread-safety: see ClientConnection.
#pragma once

#include "server/client_connection.h"
#include "server/protocol/v2_client_message.h"
#include "server/protocol/v2_server_message.h"

namespace stdb::server {

class V2ClientConnection final : public ClientConnection {
 public:
  V2ClientConnection(std::shared_ptr<HostedDatabase> hosted, ApiContext context, Caller caller,
                     sats::ConnectionId connection_id, ConnectionParams params)
      : ClientConnection(std::move(hosted), context, std::move(caller), connection_id, params) {}

  bool TakesCallerUpdate() const override { return true; }
  void SendTransactionUpdate(const subscription::ClientUpdate& update, const host::CommitEvent& event) override;
  void SendSubscriptionFailure(const subscription::SubscriptionFailure& failure) override;

 private:
  Result<std::function<void()>> Decode(std::string payload, bool is_text) override;
  void SendHello() override;

  void Handle(const protocol::v2::ClientMessage& message);
  void HandleSubscribe(const protocol::v2::Subscribe& m);
  void HandleUnsubscribe(const protocol::v2::Unsubscribe& m);
  void HandleOneOffQuery(const protocol::v2::OneOffQuery& m);
  void HandleCallReducer(const protocol::v2::CallReducer& m);

  void Send(const protocol::v2::ServerMessage& message, std::optional<uint64_t> requires_durable);
  void FillWith(const Slot& slot, const protocol::v2::ServerMessage& message);
};

}  // namespace stdb::server
