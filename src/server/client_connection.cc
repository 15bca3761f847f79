#include "server/client_connection.h"

#include <variant>

#include "auth/connection_id.h"
#include "server/protocol/bsatn_row_list.h"
#include "server/protocol/server_codecs.h"
#include "server/protocol/v3_framing.h"
#include "server/websocket_upgrade.h"
#include "sql/binder/schema_source.h"
#include "sql/sql_engine.h"

namespace stdb::server {

namespace v2 = protocol::v2;

namespace {

constexpr size_t kMaxCoalescedBody = 512 * 1024;

protocol::BsatnRowList ToRowList(const datastore::RowList& rows) {
  protocol::BsatnRowListBuilder builder;
  for (auto row : rows) builder.Append(row);
  return builder.Finish();
}

v2::QueryRows ToQueryRows(const std::vector<subscription::QueryRows>& rows) {
  v2::QueryRows out;
  for (const auto& q : rows) out.tables.push_back({q.query->table_name(), ToRowList(q.rows)});
  return out;
}

}  // namespace

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
  hosted_->db().Post([self] { self->Connect(); });
}

void ClientConnection::OnMessage(std::string payload, bool is_text) {
  if (context_.counters) context_.counters->ws_messages_in++;
  if (is_text) return Close(1011, "text frames are not allowed on this protocol; send binary messages");
  sats::ByteSpan bytes(reinterpret_cast<const uint8_t*>(payload.data()), payload.size());
  std::vector<v2::ClientMessage> messages;
  if (params_.protocol == WireProtocol::kV3) {
    auto split = protocol::v3::SplitClientPayload(bytes);
    if (!split.ok()) return Close(1011, split.error().message());
    messages = std::move(*split);
  } else {
    auto one = v2::DecodeClientMessage(bytes);
    if (!one.ok()) return Close(1011, one.error().message());
    messages.push_back(std::move(*one));
  }
  auto self = shared_from_this();
  hosted_->db().Post([self, messages = std::move(messages)]() mutable {
    for (auto& m : messages) self->Handle(std::move(m));
  });
}

void ClientConnection::OnClose(uint16_t, std::string) {
  auto self = shared_from_this();
  hosted_->db().Post([self] { self->Disconnect(); });
}

void ClientConnection::Close(uint16_t code, std::string reason) {
  if (auto s = session_.lock()) s->Close(code, std::move(reason));
}

// --- database thread -------------------------------------------------------------------------------------------

void ClientConnection::Connect() {
  Status s = hosted_->db().ClientConnected(caller_.identity, connection_id_, caller_.jwt_payload);
  if (!s.ok()) {
    // The module refused the client (client_connected returned an error).
    Close(1008, "client_connected rejected the connection: " + s.error().message());
    return;
  }
  connected_ = true;
  hub()->Add(client_id_, shared_from_this());
  Enqueue(v2::InitialConnection{caller_.identity, connection_id_, caller_.token}, std::nullopt);
}

void ClientConnection::Disconnect() {
  if (closed_) return;
  closed_ = true;
  if (!connected_) return;
  hub()->Remove(client_id_);
  hosted_->db().ClientDisconnected(caller_.identity, connection_id_);
}

std::optional<uint64_t> ClientConnection::CurrentStateOffset() const {
  uint64_t next = hosted_->db().datastore().next_tx_offset();
  if (next == 0) return std::nullopt;
  return next - 1;
}

void ClientConnection::Handle(v2::ClientMessage message) {
  if (!connected_ || closed_) return;
  std::visit(
      [&](auto& m) {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, v2::Subscribe>) HandleSubscribe(m);
        else if constexpr (std::is_same_v<M, v2::Unsubscribe>) HandleUnsubscribe(m);
        else if constexpr (std::is_same_v<M, v2::OneOffQuery>) HandleOneOffQuery(m);
        else if constexpr (std::is_same_v<M, v2::CallReducer>) HandleCallReducer(m);
        else if constexpr (std::is_same_v<M, v2::CallProcedure>)
          Enqueue(v2::ProcedureResult{v2::ProcedureInternalError{"procedure " + m.procedure +
                                                                 ": procedures are not supported by this server yet"},
                                      sats::Timestamp(0), sats::TimeDuration(0), m.request_id},
                  std::nullopt);
      },
      message);
}

void ClientConnection::HandleSubscribe(const v2::Subscribe& m) {
  auto& subs = hub()->subscriptions();
  host::Database& db = hosted_->db();
  auto current = db.datastore().CurrentView();
  sql::CallerContext who{caller_.identity, is_owner_};
  auto prepared = subs.Prepare(who, m.query_strings, *current);
  auto fail = [&](std::string error) {
    Enqueue(v2::SubscriptionError{m.request_id, m.query_set_id, std::move(error)}, std::nullopt);
  };
  if (!prepared.ok()) return fail(prepared.error().message());
  auto snapshot = db.Snapshot();
  auto evaluation = subs.Register(client_id_, subscription::SubscriptionId::QuerySet(m.query_set_id), *prepared, snapshot);
  if (!evaluation.ok()) return fail(evaluation.error().message());
  Slot slot = Reserve(CurrentStateOffset());
  auto self = shared_from_this();
  // The initial rows come from the snapshot on a worker thread while reducers keep running.
  context_.workers->Submit([self, slot, evaluation = std::move(*evaluation), request_id = m.request_id,
                            set = m.query_set_id]() mutable {
    auto rows = evaluation.Collect();
    if (!rows.ok()) {
      self->Fill(slot, v2::SubscriptionError{request_id, set, rows.error().message()});
      self->hosted_->db().Post([self, set] {
        (void)self->hub()->subscriptions().Unsubscribe(self->client_id_, subscription::SubscriptionId::QuerySet(set), nullptr);
      });
      return;
    }
    self->Fill(slot, v2::SubscribeApplied{request_id, set, ToQueryRows(*rows)});
  });
}

void ClientConnection::HandleUnsubscribe(const v2::Unsubscribe& m) {
  auto& subs = hub()->subscriptions();
  bool send_rows = m.flags == v2::UnsubscribeFlags::kSendDroppedRows;
  auto evaluation = subs.Unsubscribe(client_id_, subscription::SubscriptionId::QuerySet(m.query_set_id),
                                     send_rows ? hosted_->db().Snapshot() : nullptr);
  if (!evaluation.ok()) {
    Enqueue(v2::SubscriptionError{m.request_id, m.query_set_id, evaluation.error().message()}, std::nullopt);
    return;
  }
  if (!send_rows) {
    Enqueue(v2::UnsubscribeApplied{m.request_id, m.query_set_id, std::nullopt}, CurrentStateOffset());
    return;
  }
  Slot slot = Reserve(CurrentStateOffset());
  auto self = shared_from_this();
  context_.workers->Submit([self, slot, evaluation = std::move(*evaluation), m]() mutable {
    auto rows = evaluation.Collect();
    if (!rows.ok()) return self->Fill(slot, v2::SubscriptionError{m.request_id, m.query_set_id, rows.error().message()});
    self->Fill(slot, v2::UnsubscribeApplied{m.request_id, m.query_set_id, ToQueryRows(*rows)});
  });
}

void ClientConnection::HandleOneOffQuery(const v2::OneOffQuery& m) {
  host::Database& db = hosted_->db();
  sql::CallerContext who{caller_.identity, is_owner_};
  auto current = db.datastore().CurrentView();
  sql::DatabaseViewSchema schema(*current);
  auto statement = sql::Compile(m.query_string, schema, {sql::Language::kSql, who});
  if (!statement.ok() || !statement->is_query()) {
    std::string error = statement.ok() ? "one-off queries must be SELECT statements" : statement.error().message();
    Enqueue(v2::OneOffQueryResult{m.request_id, error}, std::nullopt);
    return;
  }
  Slot slot = Reserve(CurrentStateOffset());
  auto snapshot = db.Snapshot();
  auto self = shared_from_this();
  const auto& output = statement->query().output;
  std::string table = output.kind == sql::QueryOutput::Kind::kRows ? statement->query().ReturnTable().name : "";
  context_.workers->Submit([self, slot, who, snapshot, statement = std::move(*statement), m, table]() mutable {
    auto result = sql::ExecuteQuery(statement, *snapshot, who);
    if (!result.ok()) return self->Fill(slot, v2::OneOffQueryResult{m.request_id, result.error().message()});
    v2::QueryRows rows;
    rows.tables.push_back({table, ToRowList(result->rows)});
    self->Fill(slot, v2::OneOffQueryResult{m.request_id, std::move(rows)});
  });
}

void ClientConnection::HandleCallReducer(const v2::CallReducer& m) {
  host::Database& db = hosted_->db();
  host::ReducerResponse resp = db.CallReducer({m.reducer, m.args, caller_.identity, connection_id_, std::nullopt});
  if (context_.counters) {
    context_.counters->reducer_calls++;
    context_.counters->reducer_call_micros += uint64_t(resp.duration.count());
    if (!resp.committed()) context_.counters->reducer_failures++;
  }
  v2::ReducerResult result;
  result.request_id = m.request_id;
  result.timestamp = resp.timestamp;
  std::optional<uint64_t> requires_durable;
  switch (resp.status) {
    case host::ReducerResponse::Status::kCommitted: {
      v2::ReducerOk ok;
      if (auto update = hub()->TakeCallerUpdate(client_id_)) ok.transaction_update = hub()->ToWire(update->query_sets);
      result.result = std::move(ok);
      if (resp.tx && resp.tx->tx_offset) requires_durable = *resp.tx->tx_offset;
      break;
    }
    case host::ReducerResponse::Status::kFailedUser:
      result.result = v2::ReducerErr::FromMessage(resp.message);
      break;
    default:
      result.result = v2::ReducerInternalError{resp.message};
      break;
  }
  Enqueue(result, requires_durable);
}

void ClientConnection::SendTransactionUpdate(const subscription::ClientUpdate& update, uint64_t tx_offset) {
  if (update.query_sets.empty()) return;
  Enqueue(hub()->ToWire(update.query_sets), tx_offset);
}

void ClientConnection::SendSubscriptionFailure(const subscription::SubscriptionFailure& failure) {
  Enqueue(v2::SubscriptionError{std::nullopt, failure.subscription.id, failure.error}, std::nullopt);
}

// --- outgoing queue (any thread) -------------------------------------------------------------------------------

ClientConnection::Slot ClientConnection::Reserve(std::optional<uint64_t> requires_durable) {
  auto slot = std::make_shared<Outgoing>();
  slot->requires_durable = params_.confirmed_reads ? requires_durable : std::nullopt;
  std::lock_guard<std::mutex> lock(out_mu_);
  queue_.push_back(slot);
  return slot;
}

void ClientConnection::Fill(const Slot& slot, const v2::ServerMessage& message) {
  {
    std::lock_guard<std::mutex> lock(out_mu_);
    v2::EncodeServerMessage(message, slot->body);
    slot->ready = true;
  }
  Flush();
}

void ClientConnection::Enqueue(const v2::ServerMessage& message, std::optional<uint64_t> requires_durable) {
  Fill(Reserve(requires_durable), message);
}

bool ClientConnection::Durable(uint64_t offset) const {
  auto durable = hosted_->db().durability().durable_offset();
  return durable && *durable >= offset;
}

void ClientConnection::Flush() {
  auto session = session_.lock();
  if (!session) return;
  std::optional<uint64_t> wait_for;
  {
    std::lock_guard<std::mutex> lock(out_mu_);
    while (!queue_.empty()) {
      // Gather the ready prefix (coalesced on v3), stopping at a message whose transaction is not yet durable.
      sats::Bytes frame;
      protocol::BeginServerFrame(frame);
      size_t taken = 0;
      std::optional<uint64_t> blocked_on;
      while (!queue_.empty() && queue_.front()->ready) {
        const Slot& next = queue_.front();
        if (next->requires_durable && !Durable(*next->requires_durable)) {
          blocked_on = next->requires_durable;
          break;
        }
        if (taken > 0 && (params_.protocol != WireProtocol::kV3 || frame.size() + next->body.size() > kMaxCoalescedBody))
          break;
        frame.insert(frame.end(), next->body.begin(), next->body.end());
        queue_.pop_front();
        ++taken;
      }
      if (taken > 0) {
        Status s = protocol::FinishServerFrame(frame, params_.compression, protocol::CompressServerFrameBody);
        if (!s.ok()) {
          session->Close(1011, "compression failed: " + s.error().message());
          return;
        }
        if (context_.counters) {
          context_.counters->ws_messages_out += taken;
          context_.counters->ws_bytes_out += frame.size();
        }
        session->Send(std::string(reinterpret_cast<const char*>(frame.data()), frame.size()), true);
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
    hosted_->db().durability().WhenDurable(*wait_for, [weak] {
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
  static constexpr std::string_view kPreference[] = {"v3.bsatn.spacetimedb", "v2.bsatn.spacetimedb"};
  auto chosen = SelectSubprotocol(req.headers, kPreference);
  if (!chosen) return r.Send(NoValidProtocolResponse());
  params.protocol = *chosen == "v3.bsatn.spacetimedb" ? WireProtocol::kV3 : WireProtocol::kV2;
  if (auto c = req.QueryParam("confirmed")) params.confirmed_reads = *c == "true" || *c == "1";
  WebSocketAccept accept;
  accept.subprotocol = *chosen;
  ctx.auth->AddIdentityHeaders(caller, accept.headers);
  accept.handler = std::make_shared<ClientConnection>(*hosted, ctx, std::move(caller), connection_id, params);
  r.AcceptWebSocket(std::move(accept));
}

}  // namespace stdb::server
