// V1ClientConnection: a WebSocket client speaking the legacy v1 schema (spec/client-protocol.md §6), in BSATN
// (`v1.bsatn.spacetimedb`) or SATS-JSON (`v1.json.spacetimedb`). SDK 1.x clients and the CLI's `subscribe`
// fallback use it.
//
// Either flavour accepts both frame kinds from the client (text = JSON, binary = BSATN); replies follow the
// negotiated flavour. Subscriptions: legacy Subscribe (replaces the client's whole set, answered with
// InitialSubscription), SubscribeSingle/Unsubscribe and SubscribeMulti/UnsubscribeMulti by query id. A reducer
// call with flags 0 answers the caller with a full TransactionUpdate (Committed with the caller's own changes,
// or Failed); with NoSuccessNotify the caller is treated like any subscriber. Other subscribers get
// TransactionUpdateLight (always for V10 modules, whose reducer details stay hidden; for V9 modules when they
// connected with light=true), else a full TransactionUpdate naming the reducer. Message-level failures (unknown
// reducer, bad arguments) are answered with TransactionUpdate{Failed} and the connection stays open.
//
// Thread-safety: see ClientConnection.
#pragma once

#include "server/client_connection.h"
#include "server/protocol/v1_client_message.h"
#include "server/protocol/v1_server_message.h"

namespace stdb::server {

class V1ClientConnection final : public ClientConnection {
 public:
  V1ClientConnection(std::shared_ptr<HostedDatabase> hosted, ApiContext context, Caller caller,
                     sats::ConnectionId connection_id, ConnectionParams params)
      : ClientConnection(std::move(hosted), context, std::move(caller), connection_id, params) {}

  bool TakesCallerUpdate() const override { return caller_takes_update_; }
  void SendTransactionUpdate(const subscription::ClientUpdate& update, const host::CommitEvent& event) override;
  void SendSubscriptionFailure(const subscription::SubscriptionFailure& failure) override;

 private:
  Result<std::function<void()>> Decode(std::string payload, bool is_text) override;
  void SendHello() override;

  // The handlers, for the negotiated format F (protocol::v1::BsatnFormat or JsonFormat).
  template <class F> void Handle(const protocol::v1::ClientMessage& message);
  template <class F> void HandleCallReducer(const protocol::v1::CallReducer& m);
  template <class F> void HandleSubscribe(const protocol::v1::Subscribe& m);
  template <class F> void HandleSubscribeById(uint32_t request_id, uint32_t query_id,
                                              const std::vector<std::string>& texts, bool single);
  template <class F> void HandleUnsubscribe(uint32_t request_id, uint32_t query_id, bool single);
  template <class F> void HandleOneOffQuery(const protocol::v1::OneOffQuery& m);
  template <class F> void SendTransactionUpdateAs(const subscription::ClientUpdate& update,
                                                  const host::CommitEvent& event);

  // Encodes `message` in the negotiated flavour and queues it.
  template <class F>
  void FillWith(const Slot& slot, const protocol::v1::ServerMessage<F>& message);
  template <class F>
  void Send(const protocol::v1::ServerMessage<F>& message, std::optional<uint64_t> requires_durable) {
    FillWith<F>(Reserve(requires_durable), message);
  }
  bool json() const { return params().protocol == WireProtocol::kV1Json; }

  bool caller_takes_update_ = false;  // database thread: during a call with flags FullUpdate
};

}  // namespace stdb::server
