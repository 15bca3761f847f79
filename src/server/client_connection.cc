#include "server/client_connection.h"

#include "auth/connection_id.h"
#include "server/protocol/server_codecs.h"
#include "server/v1_client_connection.h"
#include "server/v2_client_connection.h"
#include "server/websocket_upgrade.h"

namespace stdb::server {

namespace {

constexpr size_t kMaxCoalescedBody = 512 * 1024;

}  // namespace

std::shared_ptr<ClientConnection> ClientConnection::Create(std::shared_ptr<HostedDatabase> hosted, ApiContext context,
                                                           Caller caller, sats::ConnectionId connection_id,
                                                           ConnectionParams params) {
  if (params.protocol == WireProtocol::kV1Bsatn || params.protocol == WireProtocol::kV1Json)
    return std::make_shared<V1ClientConnection>(std::move(hosted), context, std::move(caller), connection_id, params);
  return std::make_shared<V2ClientConnection>(std::move(hosted), context, std::move(caller), connection_id, params);
}

ClientConnection::ClientConnection(std::shared_ptr<HostedDatabase> hosted, ApiContext context, Caller caller,
                                   sats::ConnectionId connection_id, ConnectionParams params)
    : hosted_(std::move(hosted)),
      context_(context),
      caller_(std::move(caller)),
      connection_id_(connection_id),
      client_id_{caller_.identity, connection_id},
      params_(params),
      is_owner_(caller_.identity == hosted_->owner()) {
  if (context_.counters) context_.counters->ws_connections++;
}

ClientConnection::~ClientConnection() {
  if (context_.counters) context_.counters->ws_connections--;
}

ClientHub* ClientConnection::hub() const { return hosted_->attachment<ClientHub>(); }

// --- I/O thread ------------------------------------------------------------------------------------------------

void ClientConnection::OnOpen(const std::shared_ptr<WebSocketSession>& session) {
  session_ = session;
  auto self = shared_from_this();
  db().Post([self] { self->Connect(); });
}

void ClientConnection::OnMessage(std::string payload, bool is_text) {
  if (context_.counters) context_.counters->ws_messages_in++;
  auto work = Decode(std::move(payload), is_text);
  if (!work.ok()) return Close(kCloseInternalError, work.error().message());
  auto self = shared_from_this();
  db().Post([self, work = std::move(*work)] {
    if (self->connected_ && !self->closed_) work();
    if (auto session = self->session_.lock()) session->AcknowledgeIncoming();
  });
}

void ClientConnection::OnClose(uint16_t, std::string) {
  auto self = shared_from_this();
  db().Post([self] { self->Disconnect(); });
}

void ClientConnection::Close(uint16_t code, std::string reason) {
  if (auto s = session_.lock()) s->Close(code, std::move(reason));
}

void ClientConnection::FlushAndClose(uint16_t code, std::string reason) {
  Flush();
  Close(code, std::move(reason));
}

// --- database thread -------------------------------------------------------------------------------------------

void ClientConnection::Connect() {
  if (closed_) return;  // the client left before the connect lifecycle ran
  if (!hub()->Add(client_id_, shared_from_this())) return Close(kCloseGoingAway, "module exited");
  Status s = db().ClientConnected(caller_.identity, connection_id_, caller_.jwt_payload);
  if (!s.ok()) {
    // The module refused the client (client_connected returned an error): dropped without any message.
    hub()->Remove(client_id_);
    Close(1008, "client_connected rejected the connection: " + s.error().message());
    return;
  }
  connected_ = true;
  SendHello();
}

void ClientConnection::Disconnect() {
  if (closed_) return;
  closed_ = true;
  if (!connected_) return;
  hub()->Remove(client_id_);
  db().ClientDisconnected(caller_.identity, connection_id_);
}

std::optional<uint64_t> ClientConnection::CurrentStateOffset() const {
  uint64_t next = db().datastore().next_tx_offset();
  if (next == 0) return std::nullopt;
  return next - 1;
}

void ClientConnection::CountReducerCall(const host::ReducerResponse& response) const {
  if (!context_.counters) return;
  context_.counters->reducer_calls++;
  context_.counters->reducer_call_micros += uint64_t(response.duration.count());
  if (!response.committed()) context_.counters->reducer_failures++;
}

// --- outgoing queue (any thread) -------------------------------------------------------------------------------

ClientConnection::Slot ClientConnection::Reserve(std::optional<uint64_t> requires_durable) {
  auto slot = std::make_shared<Outgoing>();
  slot->requires_durable = params_.confirmed_reads ? requires_durable : std::nullopt;
  std::lock_guard<std::mutex> lock(out_mu_);
  queue_.push_back(slot);
  return slot;
}

void ClientConnection::Fill(const Slot& slot, sats::Bytes body) {
  {
    std::lock_guard<std::mutex> lock(out_mu_);
    slot->body = std::move(body);
    slot->ready = true;
  }
  ScheduleFlush();
}

void ClientConnection::ScheduleFlush() {
  // Off the database thread (initial subscription rows from a worker) nothing is gained by waiting for it.
  if (!db().OnDatabaseThread()) return Flush();
  if (flush_scheduled_.exchange(true, std::memory_order_acq_rel)) return;
  std::weak_ptr<ClientConnection> weak = shared_from_this();
  db().Post([weak] {
    if (auto self = weak.lock()) {
      self->flush_scheduled_.store(false, std::memory_order_release);
      self->Flush();
    }
  });
}

void ClientConnection::Enqueue(sats::Bytes body, std::optional<uint64_t> requires_durable) {
  Fill(Reserve(requires_durable), std::move(body));
}

bool ClientConnection::Durable(uint64_t offset) const {
  auto durable = db().durability().durable_offset();
  return durable && *durable >= offset;
}

void ClientConnection::Flush() {
  auto session = session_.lock();
  if (!session) return;
  const bool text = params_.protocol == WireProtocol::kV1Json;
  const bool coalesce = params_.protocol == WireProtocol::kV3;
  std::optional<uint64_t> wait_for;
  {
    std::lock_guard<std::mutex> lock(out_mu_);
    while (!queue_.empty()) {
      // Gather the ready prefix (coalesced on v3), stopping at a message whose transaction is not yet durable.
      sats::Bytes frame;
      if (!text) protocol::BeginServerFrame(frame);
      size_t taken = 0;
      std::optional<uint64_t> blocked_on;
      while (!queue_.empty() && queue_.front()->ready) {
        const Slot& next = queue_.front();
        if (next->requires_durable && !Durable(*next->requires_durable)) {
          blocked_on = next->requires_durable;
          break;
        }
        if (taken > 0 && (!coalesce || frame.size() + next->body.size() > kMaxCoalescedBody)) break;
        if (frame.empty()) frame = std::move(next->body);
        else frame.insert(frame.end(), next->body.begin(), next->body.end());
        queue_.pop_front();
        ++taken;
      }
      if (taken > 0) {
        if (!text) {
          Status s = protocol::FinishServerFrame(frame, params_.compression, protocol::CompressServerFrameBody);
          if (!s.ok()) {
            session->Close(kCloseInternalError, "compression failed: " + s.error().message());
            return;
          }
        }
        if (context_.counters) {
          context_.counters->ws_messages_out += taken;
          context_.counters->ws_bytes_out += frame.size();
        }
        session->Send(std::string(reinterpret_cast<const char*>(frame.data()), frame.size()), !text);
        continue;
      }
      if (blocked_on && waiting_for_ != blocked_on) {
        waiting_for_ = blocked_on;
        wait_for = blocked_on;
      }
      break;
    }
  }
  // Outside the lock: the callback may run right here if the offset became durable meanwhile.
  if (wait_for) {
    std::weak_ptr<ClientConnection> weak = shared_from_this();
    db().durability().WhenDurable(*wait_for, [weak] {
      if (auto self = weak.lock()) self->Flush();
    });
  }
}

// --- the upgrade -------------------------------------------------------------------------------------------------

void HandleSubscribeUpgrade(const ApiContext& ctx, HttpRequest req, Responder r) {
  if (auto refusal = CheckWebSocketUpgrade(req)) return r.Send(std::move(*refusal));
  auto authenticated = ctx.auth->Authenticate(req, true);
  if (auto* f = std::get_if<AuthFailure>(&authenticated)) return r.Send(HttpResponse::Text(f->status, f->message));
  Caller caller = std::get<Caller>(std::move(authenticated));
  ConnectionParams params;
  if (auto c = req.QueryParam("compression")) {
    if (*c == "None") params.compression = protocol::Compression::kNone;
    else if (*c == "Gzip") params.compression = protocol::Compression::kGzip;
    else if (*c == "Brotli") params.compression = protocol::Compression::kBrotli;
    else return r.Send(HttpResponse::Text(400, "Invalid compression: " + std::string(*c) + " (use None, Brotli or Gzip)"));
  } else {
    params.compression = protocol::Compression::kBrotli;
  }
  sats::ConnectionId connection_id;
  if (auto c = req.QueryParam("connection_id")) {
    auto parsed = auth::ParseConnectionIdParam(*c);
    if (!parsed.ok()) return r.Send(HttpResponse::Text(400, parsed.error().message()));
    connection_id = *parsed;
  } else {
    auto random = auth::RandomConnectionId();
    if (!random.ok()) return r.Send(ErrorResponse(random.error()));
    connection_id = *random;
  }
  auto hosted = ctx.registry->Resolve(*req.PathParam("noi"));
  if (!hosted.ok()) return r.Send(ResolveErrorResponse(hosted.error()));
  static constexpr std::pair<std::string_view, WireProtocol> kProtocols[] = {
      {"v3.bsatn.spacetimedb", WireProtocol::kV3},
      {"v2.bsatn.spacetimedb", WireProtocol::kV2},
      {"v1.bsatn.spacetimedb", WireProtocol::kV1Bsatn},
      {"v1.json.spacetimedb", WireProtocol::kV1Json},
  };
  static constexpr std::string_view kPreference[] = {kProtocols[0].first, kProtocols[1].first, kProtocols[2].first,
                                                     kProtocols[3].first};
  auto chosen = SelectSubprotocol(req.headers, kPreference);
  if (!chosen) return r.Send(NoValidProtocolResponse());
  for (const auto& [name, wire] : kProtocols)
    if (*chosen == name) params.protocol = wire;
  bool v1 = params.protocol == WireProtocol::kV1Bsatn || params.protocol == WireProtocol::kV1Json;
  params.confirmed_reads = !v1;  // the default: on for v2/v3, off for v1
  if (auto c = req.QueryParam("confirmed")) params.confirmed_reads = *c == "true" || *c == "1";
  if (auto l = req.QueryParam("light")) params.light = *l == "true" || *l == "1";
  WebSocketAccept accept;
  accept.subprotocol = *chosen;
  ctx.auth->AddIdentityHeaders(caller, accept.headers);
  WebSocketOptions options;
  options.max_unacknowledged_incoming = ClientConnection::kMaxUnhandledMessages;
  options.incoming_overflow = IncomingOverflow::kPauseReading;
  accept.options = options;
  accept.handler = ClientConnection::Create(*hosted, ctx, std::move(caller), connection_id, params);
  r.AcceptWebSocket(std::move(accept));
}

}  // namespace stdb::server
