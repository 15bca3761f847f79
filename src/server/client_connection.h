// ClientConnection: one WebSocket client of one database, speaking v3 (several messages per frame) or v2
// (spec/client-protocol.md §2-§5, §8).
//
// Lifecycle: on open, the connect lifecycle runs on the database thread (st_client row + client_connected); a
// rejection drops the connection without any message, else InitialConnection is the first message. Client
// messages are decoded on the I/O thread (a malformed one closes the connection with 1011) and handled on the
// database thread in arrival order. On close, subscriptions are dropped and client_disconnected runs.
//
// Outgoing messages go through one ordered queue. A message computed at a transaction offset waits, with every
// message behind it, until that offset is durable when the client asked for confirmed reads (the default on
// v2/v3). A subscription's initial rows are evaluated off the database thread from a snapshot; their slot in the
// queue is reserved when the subscription is registered, so updates of later transactions queue behind it and
// the client always sees SubscribeApplied first. Bodies over 1 KiB are compressed as the client asked; on v3
// consecutive ready messages are coalesced into one frame (up to 512 KiB).
//
// Thread-safety: WebSocketHandler callbacks arrive on an I/O thread; the Send*/Handle* methods run on the
// database thread; the outgoing queue is flushed from any thread under its mutex.
#pragma once

#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "server/api_context.h"
#include "server/client_hub.h"
#include "server/protocol/server_frame.h"
#include "server/protocol/v2_client_message.h"
#include "server/protocol/v2_server_message.h"
#include "server/websocket_session.h"

namespace stdb::server {

enum class WireProtocol { kV3, kV2 };

struct ConnectionParams {
  WireProtocol protocol = WireProtocol::kV3;
  protocol::Compression compression = protocol::Compression::kNone;
  bool confirmed_reads = true;
};

class ClientConnection : public WebSocketHandler, public std::enable_shared_from_this<ClientConnection> {
 public:
  ClientConnection(std::shared_ptr<HostedDatabase> hosted, ApiContext context, Caller caller,
                   sats::ConnectionId connection_id, ConnectionParams params);
  ~ClientConnection() override;

  // --- WebSocketHandler (I/O thread) ---
  void OnOpen(const std::shared_ptr<WebSocketSession>& session) override;
  void OnMessage(std::string payload, bool is_text) override;
  void OnClose(uint16_t code, std::string reason) override;

  // --- database thread (called by the hub) ---
  bool takes_caller_update() const { return true; }
  void SendTransactionUpdate(const subscription::ClientUpdate& update, uint64_t tx_offset);
  void SendSubscriptionFailure(const subscription::SubscriptionFailure& failure);
  // Any thread.
  void Close(uint16_t code, std::string reason);

  const subscription::ClientId& client_id() const { return client_id_; }

 private:
  // One queued message: its encoded body (empty until ready), the offset that must be durable first.
  struct Outgoing {
    bool ready = false;
    sats::Bytes body;
    std::optional<uint64_t> requires_durable;
  };
  using Slot = std::shared_ptr<Outgoing>;

  ClientHub* hub() const;
  // Database thread.
  void Connect();
  void Disconnect();
  void Handle(protocol::v2::ClientMessage message);
  void HandleSubscribe(const protocol::v2::Subscribe& m);
  void HandleUnsubscribe(const protocol::v2::Unsubscribe& m);
  void HandleOneOffQuery(const protocol::v2::OneOffQuery& m);
  void HandleCallReducer(const protocol::v2::CallReducer& m);
  // The offset whose durability a result computed on the current state requires.
  std::optional<uint64_t> CurrentStateOffset() const;

  // Queue.
  Slot Reserve(std::optional<uint64_t> requires_durable);
  void Fill(const Slot& slot, const protocol::v2::ServerMessage& message);
  void Enqueue(const protocol::v2::ServerMessage& message, std::optional<uint64_t> requires_durable);
  void Flush();
  bool Durable(uint64_t offset) const;

  std::shared_ptr<HostedDatabase> hosted_;
  ApiContext context_;
  Caller caller_;
  sats::ConnectionId connection_id_;
  subscription::ClientId client_id_;
  ConnectionParams params_;
  bool is_owner_;

  std::weak_ptr<WebSocketSession> session_;
  bool connected_ = false;  // database thread: the connect lifecycle succeeded
  bool closed_ = false;     // database thread: OnClose was handled

  std::mutex out_mu_;
  std::deque<Slot> queue_;
  std::optional<uint64_t> waiting_for_;  // a WhenDurable callback is registered for this offset
};

// Handles GET /v1/database/:noi/subscribe (the upgrade, authentication, parameters, negotiation).
void HandleSubscribeUpgrade(const ApiContext& context, HttpRequest request, Responder responder);

}  // namespace stdb::server
