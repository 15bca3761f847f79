// ClientConnection: one WebSocket client of one database (spec/client-protocol.md §2-§8) — the part every
// protocol version shares. The message schemas live in the subclasses: V2ClientConnection (v3 and v2 framing,
// v2_client_connection.h) and V1ClientConnection (v1.bsatn and v1.json, v1_client_connection.h).
//
// Lifecycle: on open, the connect lifecycle runs on the database thread (st_client row + client_connected); a
// rejection drops the connection without any message, else the protocol's first message (InitialConnection or
// IdentityToken) goes first. Client messages are decoded on the I/O thread (an undecodable one closes the
// connection with 1011) and handled on the database thread in arrival order; at most
// kMaxUnhandledMessages wait at a time, after which the transport stops reading the socket (TCP pushes back on
// a flooding client, other clients are unaffected). On close, subscriptions are dropped and
// client_disconnected runs.
//
// Outgoing messages go through one ordered queue. A message computed at a transaction offset waits, with every
// message behind it, until that offset is durable when the client asked for confirmed reads (the default on
// v2/v3). Work done off the database thread (initial subscription rows, one-off queries) reserves its slot in the
// queue first, so later updates queue behind it. Binary bodies over 1 KiB are compressed as the client asked;
// on v3 consecutive ready messages are coalesced into one frame (up to 512 KiB); v1.json sends text frames.
// The transport's outgoing queue is bounded: a client that stops reading is dropped, never slowing the rest.
//
// Thread-safety: WebSocketHandler callbacks arrive on an I/O thread; the protocol handlers and the hub's calls
// run on the database thread; the outgoing queue may be filled and flushed from any thread (under its mutex).
#pragma once

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "server/api_context.h"
#include "server/client_hub.h"
#include "server/protocol/server_frame.h"
#include "server/websocket_session.h"

namespace stdb::server {

enum class WireProtocol { kV3, kV2, kV1Bsatn, kV1Json };

struct ConnectionParams {
  WireProtocol protocol = WireProtocol::kV3;
  protocol::Compression compression = protocol::Compression::kNone;
  bool confirmed_reads = true;
  bool light = false;  // v1 only: other callers' transactions arrive as TransactionUpdateLight
};

class ClientConnection : public WebSocketHandler, public std::enable_shared_from_this<ClientConnection> {
 public:
  // Client messages decoded but not yet handled before the transport stops reading.
  static constexpr size_t kMaxUnhandledMessages = 4096;

  // A V2ClientConnection or V1ClientConnection for params.protocol.
  static std::shared_ptr<ClientConnection> Create(std::shared_ptr<HostedDatabase> hosted, ApiContext context,
                                                  Caller caller, sats::ConnectionId connection_id,
                                                  ConnectionParams params);
  ~ClientConnection() override;

  // --- WebSocketHandler (I/O thread) ---
  void OnOpen(const std::shared_ptr<WebSocketSession>& session) final;
  void OnMessage(std::string payload, bool is_text) final;
  void OnClose(uint16_t code, std::string reason) final;

  // --- database thread (called by the hub) ---
  // Whether the update of a transaction this client's reducer call committed is kept for the call's reply
  // (ClientHub::TakeCallerUpdate) instead of being sent through SendTransactionUpdate.
  virtual bool TakesCallerUpdate() const = 0;
  virtual void SendTransactionUpdate(const subscription::ClientUpdate& update, const host::CommitEvent& event) = 0;
  virtual void SendSubscriptionFailure(const subscription::SubscriptionFailure& failure) = 0;

  // Any thread.
  void Close(uint16_t code, std::string reason);
  // Sends what is ready in the queue first (the database is going away; no flush job would run).
  void FlushAndClose(uint16_t code, std::string reason);
  const subscription::ClientId& client_id() const { return client_id_; }

 protected:
  // One queued message: its encoded body (empty until ready), the offset that must be durable first.
  struct Outgoing {
    bool ready = false;
    sats::Bytes body;
    std::optional<uint64_t> requires_durable;
  };
  using Slot = std::shared_ptr<Outgoing>;

  ClientConnection(std::shared_ptr<HostedDatabase> hosted, ApiContext context, Caller caller,
                   sats::ConnectionId connection_id, ConnectionParams params);

  // I/O thread: decodes one WebSocket message into the work to run on the database thread (see RunHandler), or
  // fails, which closes the connection with 1011 and the error's text.
  virtual Result<std::function<void()>> Decode(std::string payload, bool is_text) = 0;
  // Database thread: the first message, once the connect lifecycle succeeded.
  virtual void SendHello() = 0;

  ClientHub* hub() const;
  host::Database& db() const { return hosted_->db(); }
  const Caller& caller() const { return caller_; }
  sats::ConnectionId connection_id() const { return connection_id_; }
  const ConnectionParams& params() const { return params_; }
  const ApiContext& context() const { return context_; }
  sql::CallerContext caller_context() const { return {caller_.identity, is_owner_}; }
  // Database thread: the offset whose durability a result computed on the current state requires.
  std::optional<uint64_t> CurrentStateOffset() const;
  // Counts a reducer call in the server's metrics.
  void CountReducerCall(const host::ReducerResponse& response) const;

  // The queue. Reserve a slot in order, Fill it later from any thread; Enqueue does both.
  Slot Reserve(std::optional<uint64_t> requires_durable);
  void Fill(const Slot& slot, sats::Bytes body);
  void Enqueue(sats::Bytes body, std::optional<uint64_t> requires_durable);

 private:
  void Connect();
  void Disconnect();
  // On the database thread: flushes once it has finished the jobs queued so far, so that the answers to a burst
  // of messages leave together (one v3 frame, one socket write) instead of one by one. Elsewhere: flushes now.
  void ScheduleFlush();
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
  std::atomic<bool> flush_scheduled_{false};
};

// Handles GET /v1/database/:noi/subscribe: the upgrade, authentication, parameters, subprotocol negotiation in
// the server's preference order v3, v2, v1.bsatn, v1.json.
void HandleSubscribeUpgrade(const ApiContext& context, HttpRequest request, Responder responder);

}  // namespace stdb::server
